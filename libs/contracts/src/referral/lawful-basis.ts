import { IsIn, IsOptional, IsString, Length } from 'class-validator';

export const LAWFUL_BASES = [
  'consent',
  'legal-obligation',
  'vital-interests',
  'public-task',
] as const;
export type LawfulBasisKind = (typeof LAWFUL_BASES)[number];

/** Why the sender may share this person's data (GDPR art. 6). */
export class LawfulBasis {
  @IsIn(LAWFUL_BASES)
  basis!: LawfulBasisKind;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  consentRef?: string;
}

import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** An agency's own decision deadlines, in hours, overriding CONTRACT §4's defaults per priority. */
export class DecisionHours {
  @IsOptional() @IsInt() @Min(1) @Max(8760) stat?: number;
  @IsOptional() @IsInt() @Min(1) @Max(8760) asap?: number;
  @IsOptional() @IsInt() @Min(1) @Max(8760) urgent?: number;
  @IsOptional() @IsInt() @Min(1) @Max(8760) routine?: number;
}

// Every value set of the contract with its labels in English, Danish and German, for
// `GET /v1/codes` and for anything that shows a code to a person. Typed by the sets themselves:
// a code added to a set without labels does not compile.
import { REFERRAL_CATEGORIES } from '../agency';
import { REJECTION_CODES } from '../outcome';
import { LAWFUL_BASES } from '../referral/lawful-basis';
import { REFERRAL_PRIORITIES } from '../referral/make-referral.v1';
import { REASON_CODES } from '../referral/reason-codes';
import { OUTCOME_CODES } from '../referral/referral-commands.v1';

export const LABEL_LANGUAGES = ['en', 'da', 'de'] as const;
export type LabelLanguage = (typeof LABEL_LANGUAGES)[number];
export type Labels = Record<LabelLanguage, string>;

type LabelsOf<Codes extends readonly string[]> = Record<Codes[number], Labels>;

const CATEGORY_LABELS: LabelsOf<typeof REFERRAL_CATEGORIES> = {
  safeguarding: { en: 'Safeguarding', da: 'Beskyttelse mod overgreb', de: 'Schutzauftrag' },
  'child-social-care': {
    en: "Children's social care",
    da: 'Socialt arbejde med børn',
    de: 'Kinder- und Jugendhilfe',
  },
  'adult-social-care': {
    en: 'Adult social care',
    da: 'Socialt arbejde med voksne',
    de: 'Eingliederungs- und Altenhilfe',
  },
  'mental-health': { en: 'Mental health', da: 'Psykisk sundhed', de: 'Psychische Gesundheit' },
  'substance-misuse': { en: 'Substance misuse', da: 'Misbrug', de: 'Suchthilfe' },
  'health-assessment': {
    en: 'Health assessment',
    da: 'Helbredsvurdering',
    de: 'Gesundheitliche Abklärung',
  },
  'debt-advice': { en: 'Debt advice', da: 'Gældsrådgivning', de: 'Schuldnerberatung' },
  'housing-support': { en: 'Housing support', da: 'Boligstøtte', de: 'Wohnhilfe' },
  'employment-support': {
    en: 'Employment support',
    da: 'Beskæftigelsesindsats',
    de: 'Arbeitsförderung',
  },
  'education-welfare': { en: 'Education welfare', da: 'Skoletrivsel', de: 'Schulsozialarbeit' },
  'youth-justice': { en: 'Youth justice', da: 'Ungdomskriminalitet', de: 'Jugendgerichtshilfe' },
  other: { en: 'Other', da: 'Andet', de: 'Sonstiges' },
};

const PRIORITY_LABELS: LabelsOf<typeof REFERRAL_PRIORITIES> = {
  routine: { en: 'Routine', da: 'Almindelig', de: 'Routine' },
  urgent: { en: 'Urgent', da: 'Haster', de: 'Dringend' },
  asap: { en: 'As soon as possible', da: 'Hurtigst muligt', de: 'So bald wie möglich' },
  stat: { en: 'Immediately', da: 'Straks', de: 'Sofort' },
};

const REASON_LABELS: LabelsOf<typeof REASON_CODES> = {
  'not-eligible': { en: 'Not eligible', da: 'Ikke berettiget', de: 'Nicht anspruchsberechtigt' },
  'no-capacity': { en: 'No capacity', da: 'Ingen kapacitet', de: 'Keine Kapazität' },
  'already-known': { en: 'Already known', da: 'Allerede kendt', de: 'Bereits bekannt' },
  'wrong-service': { en: 'Wrong service', da: 'Forkert instans', de: 'Falsche Stelle' },
  'insufficient-information': {
    en: 'Insufficient information',
    da: 'Utilstrækkelige oplysninger',
    de: 'Unzureichende Angaben',
  },
  'person-declined': {
    en: 'Person declined',
    da: 'Borgeren har takket nej',
    de: 'Person hat abgelehnt',
  },
  'moved-away': { en: 'Moved away', da: 'Fraflyttet', de: 'Verzogen' },
  'duplicate-referral': {
    en: 'Duplicate referral',
    da: 'Dobbelt henvisning',
    de: 'Doppelte Überweisung',
  },
  other: { en: 'Other', da: 'Andet', de: 'Sonstiges' },
};

const OUTCOME_LABELS: LabelsOf<typeof OUTCOME_CODES> = {
  'service-provided': { en: 'Service provided', da: 'Indsats givet', de: 'Leistung erbracht' },
  'no-further-action': {
    en: 'No further action',
    da: 'Ingen yderligere handling',
    de: 'Keine weiteren Maßnahmen',
  },
  'referred-on': { en: 'Referred on', da: 'Henvist videre', de: 'Weitervermittelt' },
  'unable-to-contact': {
    en: 'Unable to contact',
    da: 'Kunne ikke kontaktes',
    de: 'Nicht erreichbar',
  },
};

const LAWFUL_BASIS_LABELS: LabelsOf<typeof LAWFUL_BASES> = {
  consent: { en: 'Consent', da: 'Samtykke', de: 'Einwilligung' },
  'legal-obligation': {
    en: 'Legal obligation',
    da: 'Retlig forpligtelse',
    de: 'Rechtliche Verpflichtung',
  },
  'vital-interests': {
    en: 'Vital interests',
    da: 'Vitale interesser',
    de: 'Lebenswichtige Interessen',
  },
  'public-task': {
    en: 'Public task',
    da: 'Myndighedsudøvelse',
    de: 'Öffentliche Aufgabe',
  },
};

const REJECTION_LABELS: LabelsOf<typeof REJECTION_CODES> = {
  MALFORMED: { en: 'Malformed', da: 'Ugyldigt format', de: 'Fehlerhaftes Format' },
  INVALID: { en: 'Invalid', da: 'Ugyldig', de: 'Ungültig' },
  UNSUPPORTED_TYPE: {
    en: 'Unsupported type',
    da: 'Ukendt type',
    de: 'Nicht unterstützter Typ',
  },
  TOO_LARGE: { en: 'Too large', da: 'For stor', de: 'Zu groß' },
  UNKNOWN_AGENCY: { en: 'Unknown agency', da: 'Ukendt myndighed', de: 'Unbekannte Stelle' },
  FORBIDDEN: { en: 'Forbidden', da: 'Ikke tilladt', de: 'Nicht erlaubt' },
  NOT_FOUND: { en: 'Not found', da: 'Ikke fundet', de: 'Nicht gefunden' },
  INVALID_TRANSITION: {
    en: 'Not allowed in this status',
    da: 'Ikke tilladt i denne status',
    de: 'In diesem Status nicht erlaubt',
  },
  DUPLICATE: { en: 'Duplicate', da: 'Dublet', de: 'Duplikat' },
  CONFLICT: { en: 'Conflict', da: 'Konflikt', de: 'Konflikt' },
};

export interface CodedValue {
  code: string;
  labels: Labels;
}

/** The value sets as `GET /v1/codes` serves them: each code in the contract's order. */
export interface ValueSets {
  categories: CodedValue[];
  priorities: CodedValue[];
  reasonCodes: CodedValue[];
  outcomeCodes: CodedValue[];
  lawfulBases: CodedValue[];
  rejectionCodes: CodedValue[];
}

const listed = <Codes extends readonly string[]>(
  codes: Codes,
  labels: LabelsOf<Codes>,
): CodedValue[] => codes.map((code: Codes[number]) => ({ code, labels: labels[code] }));

export const VALUE_SETS: ValueSets = {
  categories: listed(REFERRAL_CATEGORIES, CATEGORY_LABELS),
  priorities: listed(REFERRAL_PRIORITIES, PRIORITY_LABELS),
  reasonCodes: listed(REASON_CODES, REASON_LABELS),
  outcomeCodes: listed(OUTCOME_CODES, OUTCOME_LABELS),
  lawfulBases: listed(LAWFUL_BASES, LAWFUL_BASIS_LABELS),
  rejectionCodes: listed(REJECTION_CODES, REJECTION_LABELS),
};

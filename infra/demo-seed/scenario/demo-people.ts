// Synthetic people, per site: never a real identifier. Their identifiers use a system of their own
// (`demo-seed-person`), so none can be taken for a CPR or NHS number.
import type { PersonSubject } from '@backbone/contracts';
import type { Country } from './calendar';
import type { SeededRandom } from './seeded-random';

export const DEMO_PERSON_SYSTEM = 'demo-seed-person';

/** Children (school, child social care, youth justice) or adults. */
export type AgeGroup = 'child' | 'adult';

const GIVEN: Record<Country, readonly string[]> = {
  dk: ['Emma', 'Noah', 'Ida', 'William', 'Freja', 'Oscar', 'Alma', 'Lucas', 'Clara', 'Karl'],
  gb: ['Olivia', 'Mohammed', 'Amelia', 'George', 'Aisha', 'Harry', 'Priya', 'Jack', 'Grace', 'Ali'],
};
const FAMILY: Record<Country, readonly string[]> = {
  dk: ['Jensen', 'Nielsen', 'Hansen', 'Pedersen', 'Andersen', 'Larsen', 'Sørensen', 'Madsen'],
  gb: ['Smith', 'Khan', 'Patel', 'Jones', 'Taylor', 'Begum', 'Brown', 'Williams', 'Ahmed'],
};

/** The chance that a referral is about someone the site has referred before. */
const KNOWN_BEFORE = 0.2;

/** The people of one site; some are referred more than once over the year. */
export class DemoPeople {
  private readonly known: Record<AgeGroup, PersonSubject[]> = { child: [], adult: [] };
  private made = 0;

  constructor(
    private readonly site: string,
    private readonly country: Country,
    private readonly random: SeededRandom,
  ) {}

  get count(): number {
    return this.made;
  }

  /** Someone of the age group: known already, now and then, else someone new. */
  personFor(age: AgeGroup): PersonSubject {
    const known = this.known[age];
    if (known.length && this.random.chance(KNOWN_BEFORE)) return this.random.pick(known);
    const person = this.newPerson(age);
    known.push(person);
    return person;
  }

  private newPerson(age: AgeGroup): PersonSubject {
    const { random, country } = this;
    this.made++;
    const born =
      age === 'child' ? random.integer(2009, 2020) : random.pick([1944, 1958, 1971, 1986, 1999]);
    const month = String(random.integer(1, 12)).padStart(2, '0');
    const day = String(random.integer(1, 28)).padStart(2, '0');
    return {
      identifiers: [{ system: DEMO_PERSON_SYSTEM, value: `${this.site}-${this.made}` }],
      name: { given: random.pick(GIVEN[country]), family: random.pick(FAMILY[country]) },
      birthDate: `${age === 'child' ? born : born + random.integer(0, 12)}-${month}-${day}`,
    };
  }
}

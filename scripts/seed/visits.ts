/**
 * Visitors' stays: one to three visits, each an entry, a visit stay permit (maybe extended)
 * and an exit; the last one may still be going on, or be overstayed.
 */
import { addDays, minDate, randomDay } from './dates.js';
import { addCrossing, addPermit, sponsorFor } from './immigration-records.js';
import type { Nationality } from './nationalities.js';
import type { Person, SeedWorld } from './person.js';
import { CHECKPOINT_OFFICES, immigrationOfficeFor } from './places.js';
import type { Rng } from './random.js';

/** Visitors: one to three visits, each an entry, a visit stay permit (maybe extended), an exit. */
export function planVisits(world: SeedWorld, rng: Rng, person: Person, nat: Nationality): void {
  const ending = rng.weighted<'PRESENT' | 'PAST' | 'OVERSTAY'>([
    ['PRESENT', 28],
    ['PAST', 68],
    ['OVERSTAY', 4],
  ]);
  const visits = rng.weighted([
    [1, 70],
    [2, 20],
    [3, 10],
  ]);
  const purpose = person.company ? 'WORK' : 'TOURISM';
  const sponsor = sponsorFor(world.places, rng, person);
  const starts: Date[] = [];
  let start =
    ending === 'PRESENT'
      ? addDays(world.today, -rng.int(1, 25))
      : ending === 'OVERSTAY'
        ? addDays(world.today, -rng.int(100, 400))
        : addDays(world.today, -rng.int(100, 1400));
  for (let v = 0; v < visits; v++) {
    starts.unshift(start);
    start = addDays(start, -rng.int(90, 500));
    if (start.getTime() < addDays(world.today, -2000).getTime()) break;
  }
  person.arrival = starts[0]!;
  starts.forEach((s, i) => {
    const lastVisit = i === starts.length - 1;
    const entry = addCrossing(rng, person, nat, 'ENTRY', s);
    const length = rng.chance(0.7) ? 30 : 60;
    let expires = addDays(s, length - 1);
    addPermit(
      person,
      'VISIT',
      purpose,
      s,
      expires,
      CHECKPOINT_OFFICES[entry.checkpointCode] ?? immigrationOfficeFor(person.village.code),
      sponsor,
    );
    const extendBy = rng.chance(0.25) ? 30 : 0;
    const extensionIssued = addDays(expires, -rng.int(2, 7));
    if (extendBy && extensionIssued.getTime() <= world.lastDay.getTime()) {
      const extended = addDays(expires, extendBy);
      addPermit(
        person,
        'VISIT',
        purpose,
        extensionIssued,
        extended,
        immigrationOfficeFor(person.village.code),
        sponsor,
      );
      expires = extended;
    }
    if (lastVisit && ending !== 'PAST') {
      if (ending === 'PRESENT' && expires.getTime() < world.today.getTime()) {
        // visitors still here hold a permit valid today
        const issuedAt = minDate(addDays(expires, -rng.int(2, 7)), world.lastDay);
        addPermit(
          person,
          'VISIT',
          purpose,
          issuedAt,
          addDays(world.today, rng.int(5, 30)),
          immigrationOfficeFor(person.village.code),
          sponsor,
        );
      }
      person.fate = ending === 'OVERSTAY' ? 'OVERSTAY' : 'STAYING';
      return;
    }
    const exitDay = minDate(randomDay(rng, addDays(s, 3), addDays(expires, -1)), world.lastDay);
    addCrossing(rng, person, nat, 'EXIT', exitDay, rng.chance(0.7) ? entry.checkpointCode : undefined);
    if (lastVisit) {
      person.departed = exitDay;
      person.fate = 'LEFT';
    }
  });
}

#!/usr/bin/env node
'use strict';
// An afternoon of ministries and EU institutions, scripted: a few hundred decisions through the public gRPC APIs of
// all five services, in every jurisdiction the law knows (each national emergency basis that ListLegalBases lists,
// so a jurisdiction added as data in law/ is exercised without a change here), a CFMR Council implementing decision
// recorded by the Council, EU leverages proposed by a ministry and imposed by the Commission, and bad input mixed in
// (an empty or 1 MB justification, a timestamp beyond year 9999, an unknown legal basis, a start date in the past, an
// EU act recorded by a ministry). Each decision prints one JSON line; the last line counts them. Exit 0 only when no
// call got UNKNOWN or INTERNAL, no bad input was accepted and every lawful decision was recorded. Then run the
// README's audit command: whatever the services accepted, the audit passes.
//
//   node src/exercise.js --key deploy/.local/keys/signing-key.pem [--decisions 300]
//
// Endpoints default to deploy/run.sh's: --declaration 127.0.0.1:5101, --measures :5102, --reception :5103,
// --humanitarian :5104, --leverages :5105; --ca a PEM CA file for TLS (plaintext HTTP/2 on loopback without it).
const crypto = require('node:crypto');
const { parseArgs } = require('node:util');
const contract = require('./contract');
const token = require('./token');

const RETRY_MS = 30_000;
const counts = { accepted: 0, refused: 0, lawfulRefused: 0, badAccepted: 0, serverFaults: 0 };
const requestId = () => crypto.randomUUID();
const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const code = (error) => contract.status[error.code] ?? String(error.code);

/** yyyy-MM-dd of today (plus days) in a legal time zone: the law counts its own calendar days. */
function day(timeZone, plusDays = 0) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date()).reduce((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day) + plusDays)).toISOString().slice(0, 10);
}

const timestamp = (date) => ({ seconds: String(Math.floor(date.getTime() / 1000)), nanos: 0 });

/**
 * One decision. expect: 'lawful' (must be recorded), 'bad' (must be refused, never recorded) or 'either' (the law
 * decides: a refusal is an answer). Retries while another service's fact has not arrived yet (UNAVAILABLE, or the
 * measures service not yet knowing the crisis), with the same request id, so nothing is recorded twice.
 */
async function decide(what, expect, call) {
  const began = Date.now();
  for (;;) {
    try {
      const answer = await call();
      counts.accepted += 1;
      if (expect === 'bad') counts.badAccepted += 1;
      print({ decision: what, expect, ok: expect !== 'bad', status: 'OK' });
      return answer;
    } catch (error) {
      if (error.code === undefined) throw error;
      const rule = contract.ruleOf(error);
      const waiting = error.code === contract.status.UNAVAILABLE || rule === 'measure.crisis-unknown';
      if (waiting && Date.now() - began < RETRY_MS) {
        await new Promise((r) => { setTimeout(r, 300); });
        continue;
      }
      const fault = error.code === contract.status.UNKNOWN || error.code === contract.status.INTERNAL;
      counts.refused += 1;
      if (fault) counts.serverFaults += 1;
      if (expect === 'lawful') counts.lawfulRefused += 1;
      print({ decision: what, expect, ok: !fault && expect !== 'lawful', status: code(error), rule, detail: error.details });
      return undefined;
    }
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      declaration: { type: 'string', default: '127.0.0.1:5101' },
      measures: { type: 'string', default: '127.0.0.1:5102' },
      reception: { type: 'string', default: '127.0.0.1:5103' },
      humanitarian: { type: 'string', default: '127.0.0.1:5104' },
      leverages: { type: 'string', default: '127.0.0.1:5105' },
      key: { type: 'string' },
      ca: { type: 'string' },
      decisions: { type: 'string', default: '300' },
    },
  });
  if (!values.key) throw new Error('pass --key with the local signing key (deploy/.local/keys/signing-key.pem)');
  const target = Number(values.decisions);
  if (!Number.isInteger(target) || target < 1 || target > 5000) throw new Error('--decisions must be a whole number from 1 to 5000');

  const api = contract.load();
  const credentials = contract.credentials({ caFile: values.ca });
  const declaration = new api.crisisops.declaration.v1.CrisisDeclaration(values.declaration, credentials);
  const measures = new api.crisisops.measures.v1.EmergencyMeasures(values.measures, credentials);
  const reception = new api.crisisops.reception.v1.ReceptionCapacity(values.reception, credentials);
  const humanitarian = new api.crisisops.humanitarian.v1.HumanitarianSupport(values.humanitarian, credentials);
  const leverages = new api.crisisops.leverages.v1.DiplomaticLeverages(values.leverages, credentials);

  const ministryOf = (country) => token.mint(values.key, {
    role: 'ministry', subject: `exercise:${country.toLowerCase()}-interior`, name: `${country} duty officer`, country, ministry: 'Ministry of Interior',
  });
  const council = token.mint(values.key, { role: 'eu-institution', subject: 'exercise:council', organisation: 'Council of the European Union' });
  const commission = token.mint(values.key, { role: 'eu-institution', subject: 'exercise:commission', organisation: 'European Commission' });
  const coordinator = token.mint(values.key, { role: 'coordinator', subject: 'exercise:coordinator' });

  const bases = (await contract.unary(declaration, 'ListLegalBases', {}, coordinator)).bases;
  const types = (await contract.unary(measures, 'ListMeasureTypes', {}, coordinator)).types;
  const leverageTypes = (await contract.unary(leverages, 'ListLeverageTypes', {}, coordinator)).types;
  // One national emergency basis per jurisdiction, in the order the law lists them; the EU's CID on top.
  const national = [...new Map(bases.filter((b) => /^[A-Z]{2}$/.test(b.jurisdiction) && b.decided_by === 'MemberState')
    .map((b) => [b.jurisdiction, b])).values()];
  const cid = bases.find((b) => b.decided_by === 'EuInstitution');
  const demarche = leverageTypes.find((t) => t.decided_by === 'MemberState');
  const euLeverage = leverageTypes.find((t) => t.decided_by === 'EuInstitution' && t.evidence_required
    && t.targets.includes('TARGET_KIND_CARRIER'));
  print({ step: 'law', jurisdictions: national.map((b) => `${b.jurisdiction}:${b.code}`), eu: cid && cid.code,
    leverages: [demarche && demarche.code, euLeverage && euLeverage.code] });

  const met = (evidence) => ({ met: true, evidence });
  const criteria = {
    hostile_actor: met('state authorities organise the movement'),
    encourages_or_facilitates_movement: met('visas, flights and transport to the border arranged'),
    aim_to_destabilise: met('presented as retaliation for sanctions'),
    risks_essential_state_functions: met('crossing attempts overstretch the border guard'),
  };

  for (let round = 0; counts.accepted + counts.refused < target; round += 1) {
    const basis = national[round % national.length];
    const country = basis.jurisdiction;
    const ministry = ministryOf(country);
    const section = `${country}-EAST-${round}`;
    const today = day(basis.time_zone);

    for (const level of ['INDICATOR_LEVEL_MODERATE', 'INDICATOR_LEVEL_HIGH', 'INDICATOR_LEVEL_CRITICAL']) {
      await decide(`RecordIndicator ${country} ${level}`, 'lawful', () => contract.unary(declaration, 'RecordIndicator', {
        request_id: requestId(), target_country: country, border_section: section, group: 'INDICATOR_GROUP_POTENTIAL',
        kind: 'flights to the neighbouring capital', level, evidence: 'airline schedules', source: 'border guard analysis', observed_at: timestamp(new Date()),
      }, ministry));
    }
    await decide(`RecordIndicator ${country} observed in year 33658`, 'bad', () => contract.unary(declaration, 'RecordIndicator', {
      request_id: requestId(), target_country: country, border_section: section, group: 'INDICATOR_GROUP_POTENTIAL', kind: 'flights',
      level: 'INDICATOR_LEVEL_HIGH', evidence: 'x', source: 'y', observed_at: { seconds: '1000000000000', nanos: 0 },
    }, ministry));

    const crisisRequest = (justification) => ({
      request_id: requestId(), target_country: country, border_sections: [section], perpetrator: { name: 'Belarus', kind: 'PERPETRATOR_KIND_STATE' },
      scenario: 'SCENARIO_BELLIGERENT', criteria, stage: 'BLUEPRINT_STAGE_CRISIS_MANAGEMENT', justification,
    });
    await decide(`DeclareCrisis ${country} with no justification`, 'bad', () => contract.unary(declaration, 'DeclareCrisis', crisisRequest(''), ministry));
    await decide(`DeclareCrisis ${country} with a 1 MB justification`, 'bad',
      () => contract.unary(declaration, 'DeclareCrisis', crisisRequest('x'.repeat(1 << 20)), ministry));
    const crisis = await decide(`DeclareCrisis ${country}`, 'lawful',
      () => contract.unary(declaration, 'DeclareCrisis', crisisRequest(`state-organised movement at ${section}`), ministry));
    if (!crisis) continue;
    const crisisId = crisis.result.id;
    let version = crisis.result.version;

    const emergency = (code, start, end, who, what, expect) => decide(what, expect, () => contract.unary(declaration, 'DeclareEmergency', {
      request_id: requestId(), crisis_id: crisisId, expected_version: version, legal_basis_code: code, start_date: start, end_date: end,
      justification: 'a threat to public order along the border',
    }, who));
    await emergency('NO-SUCH-BASIS', today, day(basis.time_zone, 7), ministry, `DeclareEmergency ${country} under an unknown basis`, 'bad');
    await emergency(basis.code, day(basis.time_zone, -10), day(basis.time_zone, 7), ministry, `DeclareEmergency ${basis.code} from 10 days ago`, 'bad');
    const useCid = cid && round % 3 === 2;
    if (useCid) {
      await emergency(cid.code, today, day(cid.time_zone, 30), ministry, `DeclareEmergency ${cid.code} recorded by ${country}'s ministry`, 'bad');
    }
    const declared = useCid
      ? await emergency(cid.code, today, day(cid.time_zone, 30), council, `DeclareEmergency ${cid.code} for ${country} by the Council`, 'lawful')
      : await emergency(basis.code, today, day(basis.time_zone, 7), ministry, `DeclareEmergency ${basis.code}`, 'lawful');
    const emergencyBasis = useCid ? cid : basis;
    if (declared) version = declared.version;
    const extended = await decide(`ExtendEmergency ${emergencyBasis.code}`, 'either', () => contract.unary(declaration, 'ExtendEmergency', {
      request_id: requestId(), crisis_id: crisisId, expected_version: version, new_end_date: day(emergencyBasis.time_zone, useCid ? 40 : 14),
      consent_reference: 'consent act of the competent authority', justification: 'the pressure continues',
    }, useCid ? council : ministry));
    if (extended) version = extended.version;

    const measureTypes = types.filter((t) => (t.jurisdiction === country || t.jurisdiction === 'EU')
      && (!t.depends_on_emergency || t.depends_on_emergency === emergencyBasis.code) && !t.until_repealed);
    for (const type of measureTypes.slice(0, 3)) {
      await decide(`EnactMeasure ${type.code} in ${country}`, 'either', () => contract.unary(measures, 'EnactMeasure', {
        request_id: requestId(), measure_type: type.code, country, territory: [section], start_date: today, end_date: day(basis.time_zone, 5),
        legal_act_reference: 'act of the competent authority', crisis_id: crisisId, crisis_version: version,
        parameters: { registration_delay_weeks: 0, crossing_points: [], excludes_apr_53_groups: true, individual_assessment: true },
        justification: 'necessary and proportionate at this border section',
      }, ministry));
    }

    const facility = await decide(`RegisterFacility in ${country}`, 'lawful', () => contract.unary(reception, 'RegisterFacility', {
      request_id: requestId(), name: `Reception centre ${section}`, kind: 'FACILITY_KIND_RECEPTION_CENTRE', country, region: `${country}-01`,
      capacity: { general: 60, families: 20, unaccompanied_minors: 5, special_needs: 5 }, status: 'FACILITY_STATUS_OPEN', justification: 'places near the border',
    }, ministry));
    if (facility) {
      for (let i = 0; i < 3; i += 1) {
        await decide(`ReportArrivals at ${facility.id}`, 'lawful', () => contract.unary(reception, 'ReportArrivals', {
          request_id: requestId(), facility_id: facility.id, people: { general: 8, families: 3, unaccompanied_minors: 1, special_needs: 0 }, note: 'count',
        }, ministry));
      }
      await decide(`ReportDepartures at ${facility.id}`, 'lawful', () => contract.unary(reception, 'ReportDepartures', {
        request_id: requestId(), facility_id: facility.id, people: { general: 5, families: 0, unaccompanied_minors: 0, special_needs: 0 }, note: 'moved on',
      }, ministry));
    }

    await decide(`RequestAssistance in ${country}`, 'lawful', () => contract.unary(humanitarian, 'RequestAssistance', {
      request_id: requestId(), country, location: { country, admin1_name: 'Border region', admin1_pcode: '', name: section, beyond_border: false },
      sector: 'SECTOR_SHELTER', item: 'family tents', quantity: 10, unit: 'tents', deadline: timestamp(new Date(Date.now() + 3 * 86_400_000)),
      justification: 'arrivals beyond the places available',
    }, ministry));

    const target = { kind: 'TARGET_KIND_CARRIER', name: `Carrier ${round}`, country: 'BY' };
    if (demarche) {
      const proposed = await decide(`ProposeLeverage ${demarche.code}`, 'lawful', () => contract.unary(leverages, 'ProposeLeverage', {
        request_id: requestId(), leverage_type: demarche.code, country, target: { kind: demarche.targets[0], name: 'Belarus', country: 'BY' },
        crisis_id: crisisId, conditional_on_crisis: true, evidence: [`declaration indicator at ${section}`], allies: [], justification: 'a demarche first',
      }, ministry));
      if (proposed) {
        await decide(`ImposeLeverage ${demarche.code} by ${country}`, 'lawful', () => contract.unary(leverages, 'ImposeLeverage', {
          request_id: requestId(), leverage_id: proposed.id, expected_version: proposed.version, start_date: today, legal_act_reference: 'note verbale',
          justification: 'the demarche is delivered',
        }, ministry));
      }
    }
    if (euLeverage) {
      const proposed = await decide(`ProposeLeverage ${euLeverage.code}`, 'lawful', () => contract.unary(leverages, 'ProposeLeverage', {
        request_id: requestId(), leverage_type: euLeverage.code, country, target, crisis_id: crisisId, conditional_on_crisis: true,
        evidence: [`declaration indicator at ${section}: flights`], allies: ['EU'], justification: 'the carrier flies migrants in',
      }, ministry));
      if (proposed) {
        const impose = (who) => () => contract.unary(leverages, 'ImposeLeverage', {
          request_id: requestId(), leverage_id: proposed.id, expected_version: proposed.version, start_date: day('Europe/Brussels'),
          legal_act_reference: 'Commission implementing act', justification: 'the carrier keeps flying migrants in',
        }, who);
        await decide(`ImposeLeverage ${euLeverage.code} by ${country}'s ministry`, 'bad', impose(ministry));
        await decide(`ImposeLeverage ${euLeverage.code} by the Commission`, 'lawful', impose(commission));
      }
    }

    // Half the crises end (their emergencies, measures and conditional leverages with them); the others stay open.
    if (round % 2 === 0) {
      await decide(`EndCrisis ${country}`, 'lawful', () => contract.unary(declaration, 'EndCrisis', {
        request_id: requestId(), crisis_id: crisisId, expected_version: version, justification: 'arrivals stopped',
      }, ministry));
    } else if (declared) {
      await decide(`LiftEmergency ${emergencyBasis.code}`, 'lawful', () => contract.unary(declaration, 'LiftEmergency', {
        request_id: requestId(), crisis_id: crisisId, expected_version: version, justification: 'no longer necessary',
      }, useCid ? council : ministry));
    }
  }
}

main().then(() => {
  const ok = counts.serverFaults === 0 && counts.badAccepted === 0 && counts.lawfulRefused === 0;
  print({ done: true, ok, ...counts });
  process.exit(ok ? 0 : 1);
}, (error) => {
  print({ done: true, ok: false, ...counts, code: error.code !== undefined ? code(error) : undefined, error: error.details || error.message });
  process.exit(1);
});

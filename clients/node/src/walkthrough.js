#!/usr/bin/env node
'use strict';
// A ministry's first integration, end to end, from Node.js: obtain a token, declare a crisis, watch it live, declare
// an emergency under a legal basis of the catalogue, enact an emergency measure for the crisis, report arrivals at a
// reception facility (aggregate counts only), then leave the system as it was found (departures, facility closed,
// crisis ended: its emergency and measure end with it). Each step prints one JSON line on stdout; the exit status is
// 0 only when every step went as expected.
//
//   node src/walkthrough.js --key deploy/.local/keys/signing-key.pem     (a local system: sign a token here)
//   CRISISOPS_TOKEN=<jwt> node src/walkthrough.js                        (a token from the ministry's identity provider)
//
// --declaration / --measures / --reception name the services (host:port; defaults 127.0.0.1:5101 / 5102 / 5103),
// --ca a PEM file of the CA that signed their TLS certificates (plaintext HTTP/2 without it, loopback only),
// --country the ministry's country (PL, the catalogue's example legal bases are Polish).
const crypto = require('node:crypto');
const { parseArgs } = require('node:util');
const contract = require('./contract');
const token = require('./token');

const LEGAL_BASIS = 'PL-CONST-230';
const MEASURE_TYPE = 'PL-STATE-OF-EMERGENCY';
const CRISIS_UNKNOWN = 'measure.crisis-unknown';
const PROPAGATION_TIMEOUT_MS = 30_000;
const WATCH_TIMEOUT_MS = 30_000;

let failed = false;
const print = (line) => {
  if (line.ok === false) failed = true;
  process.stdout.write(`${JSON.stringify(line)}\n`);
};
const requestId = () => crypto.randomUUID();

/** yyyy-MM-dd of today (plus days) in the legal basis's time zone: emergencies run on the law's calendar days. */
function day(timeZone, plusDays = 0) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date()).reduce((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  const date = new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day) + plusDays));
  return date.toISOString().slice(0, 10);
}

/** A server stream of crisis changes; next(predicate) resolves with the first change that matches. */
function watch(client, crisisId, jwt) {
  const call = client.WatchCrisis({ crisis_id: crisisId }, contract.bearer(jwt));
  const received = [];
  const waiting = [];
  let failure;
  const settle = () => {
    for (const w of [...waiting]) {
      const hit = received.find(w.predicate);
      if (hit || failure) {
        waiting.splice(waiting.indexOf(w), 1);
        clearTimeout(w.timer);
        if (hit) w.resolve(hit); else w.reject(failure);
      }
    }
  };
  call.on('data', (change) => { received.push(change); settle(); });
  call.on('error', (error) => { if (error.code !== contract.status.CANCELLED) { failure = error; settle(); } });
  return {
    next(predicate, what) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.splice(waiting.findIndex((w) => w.timer === timer), 1);
          reject(new Error(`no ${what} on the watch within ${WATCH_TIMEOUT_MS / 1000} s`));
        }, WATCH_TIMEOUT_MS);
        waiting.push({ predicate, resolve, reject, timer });
        settle();
      });
    },
    close() { call.cancel(); },
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      declaration: { type: 'string', default: '127.0.0.1:5101' },
      measures: { type: 'string', default: '127.0.0.1:5102' },
      reception: { type: 'string', default: '127.0.0.1:5103' },
      key: { type: 'string' },
      ca: { type: 'string' },
      country: { type: 'string', default: 'PL' },
    },
  });
  const country = values.country.toUpperCase();
  const section = `${country}-BY`;

  let jwt = process.env.CRISISOPS_TOKEN;
  if (jwt) {
    print({ step: 'token', ok: true, source: 'CRISISOPS_TOKEN' });
  } else if (values.key) {
    jwt = token.mint(values.key, {
      role: 'ministry', subject: `node-client:${country.toLowerCase()}-duty-officer`, name: 'Node.js integration kit',
      country, ministry: 'Ministry of Interior',
    });
    print({ step: 'token', ok: true, source: `signed with ${values.key}`, role: 'ministry', country });
  } else {
    throw new Error('no token: set CRISISOPS_TOKEN, or pass --key with the local signing key (deploy/.local/keys/signing-key.pem)');
  }

  const api = contract.load();
  const credentials = contract.credentials({ caFile: values.ca });
  const declaration = new api.crisisops.declaration.v1.CrisisDeclaration(values.declaration, credentials);
  const measures = new api.crisisops.measures.v1.EmergencyMeasures(values.measures, credentials);
  const reception = new api.crisisops.reception.v1.ReceptionCapacity(values.reception, credentials);

  const bases = await contract.unary(declaration, 'ListLegalBases', {}, jwt);
  const basis = bases.bases.find((b) => b.code === LEGAL_BASIS);
  if (!basis) throw new Error(`${LEGAL_BASIS} is not in catalogue ${bases.catalogue_version}`);
  print({ step: 'ListLegalBases', ok: true, catalogue_version: bases.catalogue_version, legal_basis: basis.code, time_zone: basis.time_zone });

  const met = (evidence) => ({ met: true, evidence });
  const declared = await contract.unary(declaration, 'DeclareCrisis', {
    request_id: requestId(),
    target_country: country,
    border_sections: [section],
    perpetrator: { name: 'Belarus', kind: 'PERPETRATOR_KIND_STATE' },
    scenario: 'SCENARIO_BELLIGERENT',
    criteria: {
      hostile_actor: met('State authorities organise the movement and announce it'),
      encourages_or_facilitates_movement: met('Visas, flights and transport to the border arranged by state bodies'),
      aim_to_destabilise: met('Presented as retaliation for sanctions'),
      risks_essential_state_functions: met('Thousands of crossing attempts a day overstretch the border guard'),
    },
    stage: 'BLUEPRINT_STAGE_CRISIS_MANAGEMENT',
    justification: 'Sustained, state-organised movement of migrants to the border (Node.js integration kit)',
  }, jwt);
  const crisisId = declared.result.id;
  let crisisVersion = declared.result.version;
  print({ step: 'DeclareCrisis', ok: declared.qualifies_as_instrumentalization, crisis_id: crisisId, version: crisisVersion,
    qualifies_as_instrumentalization: declared.qualifies_as_instrumentalization });

  const live = watch(declaration, crisisId, jwt);
  try {
    const start = await live.next((c) => !c.change, 'starting state');
    print({ step: 'WatchCrisis', ok: start.crisis.crisis_id === crisisId, crisis_id: start.crisis.crisis_id,
      status: start.crisis.status, version: start.crisis.version });

    const from = day(basis.time_zone);
    const to = day(basis.time_zone, 29);
    const emergency = await contract.unary(declaration, 'DeclareEmergency', {
      request_id: requestId(), crisis_id: crisisId, expected_version: crisisVersion, legal_basis_code: LEGAL_BASIS,
      start_date: from, end_date: to, justification: 'A threat to public order along the border',
    }, jwt);
    crisisVersion = emergency.version;
    print({ step: 'DeclareEmergency', ok: !emergency.replayed, legal_basis: LEGAL_BASIS, start_date: from, end_date: to, version: crisisVersion });

    const seen = await live.next((c) => c.change && c.crisis.emergency && c.crisis.emergency.status === 'EMERGENCY_STATUS_IN_FORCE',
      'emergency in force');
    print({ step: 'WatchCrisis:change', ok: true, event_type: seen.change.event_type, version: seen.change.version,
      emergency_status: seen.crisis.emergency.status, actor: seen.change.decision ? seen.change.decision.actor_subject : '' });

    // The measures service learns of the crisis over RabbitMQ: until it has, it refuses with measure.crisis-unknown,
    // and the same request (same request_id, so never recorded twice) is sent again.
    const enact = {
      request_id: requestId(), measure_type: MEASURE_TYPE, country, territory: [section], start_date: from, end_date: to,
      legal_act_reference: 'Regulation of the President (Node.js integration kit)', crisis_id: crisisId,
      justification: 'State of emergency in the border localities',
    };
    const began = Date.now();
    let attempts = 0;
    let measure;
    for (;;) {
      attempts += 1;
      try {
        measure = await contract.unary(measures, 'EnactMeasure', enact, jwt);
        break;
      } catch (error) {
        if (contract.ruleOf(error) !== CRISIS_UNKNOWN || Date.now() - began > PROPAGATION_TIMEOUT_MS) throw error;
        await new Promise((r) => { setTimeout(r, 500); });
      }
    }
    print({ step: 'EnactMeasure', ok: !measure.replayed, measure_id: measure.id, measure_type: MEASURE_TYPE, version: measure.version, attempts });

    const places = { general: 12, families: 6, unaccompanied_minors: 1, special_needs: 1 };
    const facility = await contract.unary(reception, 'RegisterFacility', {
      request_id: requestId(), name: 'Reception centre (Node.js integration kit)', kind: 'FACILITY_KIND_RECEPTION_CENTRE', country,
      region: `${country}-MZ`, capacity: { general: 40, families: 20, unaccompanied_minors: 5, special_needs: 5 },
      status: 'FACILITY_STATUS_OPEN', justification: 'Places for applicants transferred from the border',
    }, jwt);
    print({ step: 'RegisterFacility', ok: !facility.replayed, facility_id: facility.id, version: facility.version });

    const arrivals = await contract.unary(reception, 'ReportArrivals', {
      request_id: requestId(), facility_id: facility.id, people: places, note: 'morning count',
    }, jwt);
    const occupied = Object.values(arrivals.figures.occupied).reduce((a, b) => a + b, 0);
    print({ step: 'ReportArrivals', ok: occupied === 20, occupied, capacity: Object.values(arrivals.figures.capacity).reduce((a, b) => a + b, 0),
      occupancy_rate: arrivals.figures.occupancy_rate, strain: arrivals.figures.strain });

    // Leave the system as it was found.
    await contract.unary(reception, 'ReportDepartures', { request_id: requestId(), facility_id: facility.id, people: places, note: 'moved on' }, jwt);
    await contract.unary(reception, 'CloseFacility', {
      request_id: requestId(), facility_id: facility.id, expected_version: facility.version, justification: 'Walkthrough finished',
    }, jwt);
    const ended = await contract.unary(declaration, 'EndCrisis', {
      request_id: requestId(), crisis_id: crisisId, expected_version: crisisVersion, justification: 'Walkthrough finished',
    }, jwt);
    const endSeen = await live.next((c) => c.change && c.crisis.status === 'CRISIS_STATUS_ENDED', 'crisis end');
    print({ step: 'EndCrisis', ok: !ended.replayed, version: ended.version, watched: endSeen.change.event_type,
      emergency_status: endSeen.crisis.emergency ? endSeen.crisis.emergency.status : '' });
  } finally {
    live.close();
  }
}

main().then(() => {
  const ok = !failed;
  print({ done: true, ok });
  process.exit(ok ? 0 : 1);
}, (error) => {
  // A gRPC refusal names its status, the field or rule, and the reason; anything else is this script's own error.
  print({ done: true, ok: false, code: error.code !== undefined ? contract.status[error.code] ?? error.code : undefined,
    rule: contract.ruleOf(error), error: error.details || error.message });
  process.exit(1);
});

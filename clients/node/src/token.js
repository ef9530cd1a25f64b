'use strict';
// Bearer tokens. In production a ministry's identity provider (the OIDC issuer named by the services'
// Auth__Authority) issues them; for a local system this signs one with the local signing key, exactly as
// `crisisops token mint` does: ES256 over P-256, issuer "crisisops-local", audience "crisisops"
// (shared/CrisisOps.Contracts/TokenContract.cs).
const crypto = require('node:crypto');
const fs = require('node:fs');

const LOCAL_ISSUER = 'crisisops-local';
const AUDIENCE = 'crisisops';
const ROLES = ['ministry', 'coordinator', 'auditor', 'partner', 'eu-institution'];

const base64url = (value) => Buffer.from(value).toString('base64url');

/**
 * Signs a token with the PKCS#8 (or SEC 1) PEM private key at keyFile.
 * claims: { role, subject, name?, country? (ministry, ISO 3166-1 alpha-2), ministry? , organisation? (partner, eu-institution) }.
 */
function mint(keyFile, { role, subject, name, country, ministry, organisation, lifetimeSeconds = 3600 }) {
  if (!ROLES.includes(role)) throw new Error(`role '${role}' is not a CrisisOps role (${ROLES.join(', ')})`);
  if (!subject) throw new Error('a token needs a subject');
  if (role === 'ministry' && !/^[A-Z]{2}$/.test(country || '')) {
    throw new Error('a ministry token must name its country (ISO 3166-1 alpha-2, e.g. PL)');
  }
  if ((role === 'partner' || role === 'eu-institution') && !organisation) throw new Error(`a ${role} token must name its organisation`);
  const key = crypto.createPrivateKey(fs.readFileSync(keyFile));
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails.namedCurve !== 'prime256v1') {
    throw new Error(`${keyFile} is not a P-256 key (ES256 needs P-256)`);
  }
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: LOCAL_ISSUER, aud: AUDIENCE, sub: subject, name: name || subject, role, iat: now, nbf: now, exp: now + lifetimeSeconds,
  };
  if (country) payload.country = country;
  if (role === 'partner' || role === 'eu-institution') payload.organisation = organisation;
  else if (ministry) payload.ministry = ministry;
  const signingInput = `${base64url(JSON.stringify({ alg: 'ES256', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}`;
  // JWS wants the raw r||s signature (RFC 7518 §3.4), not DER.
  const signature = crypto.sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}

module.exports = { mint };

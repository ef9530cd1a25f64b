'use strict';
// The CrisisOps contract, loaded at run time from the .proto files alone (no generated code to keep in step).
const path = require('node:path');
const fs = require('node:fs');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

/** Where the .proto files are: CRISISOPS_PROTOS, else shared/protos of the checkout this kit sits in. */
function protoRoot() {
  const root = process.env.CRISISOPS_PROTOS || path.resolve(__dirname, '../../../shared/protos');
  if (!fs.existsSync(path.join(root, 'common/v1/common.proto'))) {
    throw new Error(`no CrisisOps contract at ${root}: set CRISISOPS_PROTOS to the folder holding common/v1/common.proto`);
  }
  return root;
}

// Every package of the contract a ministry calls.
const FILES = [
  'declaration/v1/declaration.proto',
  'measures/v1/measures.proto',
  'reception/v1/reception.proto',
  'humanitarian/v1/humanitarian.proto',
  'leverages/v1/leverages.proto',
  'auditor/v1/auditor.proto',
];

/** Loads the contract; returns the package tree, e.g. contract.crisisops.declaration.v1.CrisisDeclaration. */
function load() {
  const root = protoRoot();
  const definition = protoLoader.loadSync(FILES.map((f) => path.join(root, f)), {
    includeDirs: [root],
    // Field names as written in the .proto (snake_case), enums by name, 64-bit integers as decimal strings
    // (versions are int64: a JavaScript number would lose precision beyond 2^53).
    keepCase: true,
    enums: String,
    longs: String,
    defaults: true,
    oneofs: true,
  });
  return grpc.loadPackageDefinition(definition);
}

/**
 * Channel credentials: TLS when a CA file is given (the services' certificates, or the ingress's), else plaintext
 * HTTP/2, which the services accept on loopback only.
 */
function credentials({ caFile } = {}) {
  return caFile ? grpc.credentials.createSsl(fs.readFileSync(caFile)) : grpc.credentials.createInsecure();
}

/** Call metadata carrying the bearer token every RPC needs. */
function bearer(token) {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

/** Promise form of a unary call; rejects with the gRPC error (code, details, metadata trailers). */
function unary(client, method, request, token, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    client[method](request, bearer(token), { deadline: Date.now() + timeoutMs }, (error, response) =>
      (error ? reject(error) : resolve(response)));
  });
}

/** The legal rule a FAILED_PRECONDITION refusal names (trailer crisisops-rule), if any. */
function ruleOf(error) {
  const values = error && error.metadata ? error.metadata.get('crisisops-rule') : [];
  return values.length > 0 ? String(values[0]) : undefined;
}

module.exports = { load, credentials, bearer, unary, ruleOf, status: grpc.status };

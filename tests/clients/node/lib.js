"use strict";
// Shared plumbing for the client scripts: read the JSON parameters from argv[2], print one JSON result.

function params() {
  return JSON.parse(process.argv[2] || "{}");
}

// What the tests compare: the Cognito error code and message, whichever client threw it.
function describeError(err) {
  if (err === null || err === undefined) return null;
  return {
    code: err.code || err.name || err.__type || null,
    name: err.name || null,
    message: err.message || String(err),
  };
}

function emit(result) {
  process.stdout.write("\n" + JSON.stringify(result) + "\n");
}

// Run main(params) and print its result; an unexpected throw is reported as {fatal: ...} with exit code 1.
function run(main) {
  Promise.resolve()
    .then(() => main(params()))
    .then(
      (result) => emit(result),
      (err) => {
        emit({ fatal: describeError(err), stack: err && err.stack ? String(err.stack) : null });
        process.exitCode = 1;
      },
    );
}

module.exports = { params, describeError, emit, run };

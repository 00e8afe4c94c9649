// Runs a Node.js Lambda handler as a cognito-emu command target:
//   cmd:node handler-runner.js path/to/handler.js [exportName]
// The event arrives as JSON on stdin; the answer goes to stdout as JSON. A handler error is written as
// Lambda's error shape {"errorMessage", "errorType"} with exit status 1.
const path = require("path");

const [file, exportName = "handler"] = process.argv.slice(2);
const handler = require(path.resolve(file))[exportName];
const deadline = Number(process.env.COGNITO_EMU_DEADLINE_MS || Date.now() + 5000);
const context = {
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
  invokedFunctionArn: process.env.COGNITO_EMU_INVOKED_FUNCTION_ARN,
  awsRequestId: process.env.COGNITO_EMU_AWS_REQUEST_ID,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
  logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
};

function fail(error) {
  process.stdout.write(
    JSON.stringify({ errorMessage: String((error && error.message) || error), errorType: (error && error.name) || "Error" }),
  );
  process.exitCode = 1;
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const event = JSON.parse(input);
  let settled = false;
  const callback = (error, answer) => {
    if (settled) return;
    settled = true;
    if (error) fail(error);
    else process.stdout.write(JSON.stringify(answer === undefined ? null : answer));
  };
  try {
    const result = handler(event, context, callback);
    if (result && typeof result.then === "function") result.then((answer) => callback(null, answer), callback);
  } catch (error) {
    callback(error);
  }
});

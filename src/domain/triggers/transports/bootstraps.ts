// The bootstrap each runtime runs around an unmodified Lambda handler file (the command
// transport). It reads the event from stdin, loads the file, calls the named handler with the
// event and a Lambda-like context, and writes exactly one JSON document to stdout: the returned
// event (exit 0) or Lambda's error document {"errorMessage", "errorType"} (exit 1). Whatever the
// handler prints goes to stderr, so print() / console.log() debugging cannot corrupt the answer.
// Arguments come through the environment: FRONTDESK_HANDLER_FILE, FRONTDESK_HANDLER_NAME,
// FRONTDESK_DEADLINE_MS (epoch ms), FRONTDESK_REQUEST_ID, FRONTDESK_FUNCTION_ARN.

/** Node.js: run with `node --input-type=module -e <this>`. */
export const NODE_BOOTSTRAP = String.raw`
import { pathToFileURL } from 'node:url';
const env = process.env;
const realWrite = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr);
for (const level of ['log', 'info', 'debug']) console[level] = (...args) => console.error(...args);
const answer = (value, code) => realWrite(JSON.stringify(value ?? null) + '\n', () => process.exit(code));
const fail = (error) => answer({
  errorMessage: error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error),
  errorType: error instanceof Error ? error.name : 'Error',
}, 1);
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const event = JSON.parse(input);
const moduleName = env.FRONTDESK_HANDLER_FILE.split('/').pop().replace(/\.[^.]*$/, '');
let module;
try {
  module = await import(pathToFileURL(env.FRONTDESK_HANDLER_FILE).href);
} catch (error) {
  console.error(error);
  fail(Object.assign(new Error("Unable to import module '" + moduleName + "'"), { name: 'Runtime.ImportModuleError' }));
  await new Promise(() => {});
}
const name = env.FRONTDESK_HANDLER_NAME;
const handler = typeof module[name] === 'function' ? module[name] : module.default?.[name];
if (typeof handler !== 'function') {
  fail(Object.assign(new Error(moduleName + '.' + name + ' is undefined or not exported'), { name: 'Runtime.HandlerNotFound' }));
  await new Promise(() => {});
}
let settled = false;
const finish = (error, result) => {
  if (settled) return;
  settled = true;
  if (error !== undefined && error !== null) fail(error);
  else answer(result, 0);
};
const arn = env.FRONTDESK_FUNCTION_ARN;
const functionName = arn.split(':')[6] ?? arn;
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: arn,
  memoryLimitInMB: '128',
  awsRequestId: env.FRONTDESK_REQUEST_ID,
  logGroupName: '/aws/lambda/' + functionName,
  logStreamName: 'frontdesk',
  getRemainingTimeInMillis: () => Math.max(0, Number(env.FRONTDESK_DEADLINE_MS) - Date.now()),
  done: (error, result) => finish(error ?? null, result),
  fail: (error) => finish(error ?? new Error('handler failed')),
  succeed: (result) => finish(null, result),
};
const returned = handler(event, context, (error, result) => finish(error ?? null, result));
if (returned && typeof returned.then === 'function') returned.then((value) => finish(null, value), (error) => finish(error ?? new Error('handler rejected')));
else if (handler.length < 3 && returned !== undefined) finish(null, returned);
`;

/** Python 3: run with `python3 -c <this>`. */
export const PYTHON_BOOTSTRAP = String.raw`
import importlib.util, json, os, sys, time
env = os.environ
answer_stream = os.fdopen(os.dup(1), 'w')
os.dup2(2, 1)
sys.stdout = sys.stderr
def answer(value, code):
    answer_stream.write(json.dumps(value) + '\n')
    answer_stream.flush()
    os._exit(code)
class LambdaContext:
    def __init__(self):
        arn = env['FRONTDESK_FUNCTION_ARN']
        parts = arn.split(':')
        self.function_name = parts[6] if len(parts) > 6 else arn
        self.function_version = '$LATEST'
        self.invoked_function_arn = arn
        self.memory_limit_in_mb = 128
        self.aws_request_id = env['FRONTDESK_REQUEST_ID']
        self.log_group_name = '/aws/lambda/' + self.function_name
        self.log_stream_name = 'frontdesk'
        self.identity = None
        self.client_context = None
    def get_remaining_time_in_millis(self):
        return max(0, int(env['FRONTDESK_DEADLINE_MS']) - int(time.time() * 1000))
try:
    event = json.loads(sys.stdin.read())
    path = env['FRONTDESK_HANDLER_FILE']
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    module_name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    handler = getattr(module, env['FRONTDESK_HANDLER_NAME'])
    result = handler(event, LambdaContext())
except Exception as error:
    answer({'errorMessage': str(error), 'errorType': type(error).__name__}, 1)
answer(result, 0)
`;

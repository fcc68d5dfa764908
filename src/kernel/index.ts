export { AppError, isAppError, httpStatusOf, exitCodeOf, type ErrorKind } from './errors.js';
export { systemClock, manualClock, type Clock } from './clock.js';
export { uuid, randomToken, type IdGenerator } from './ids.js';

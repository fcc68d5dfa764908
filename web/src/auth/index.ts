export { minPasswordLength, type Role, type User } from './model';
export { SessionProvider, useSession, useSignedInUser, type Session } from './session';

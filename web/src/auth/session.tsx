import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { ReactNode } from 'react';
import { ApiError, setCsrfToken } from '../api';
import * as authApi from './auth-api';
import type { AuthAnswer, User } from './model';

export type Session =
  { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; user: User };

interface SessionContextValue {
  session: Session;
  /** True while the one-time password typed at sign-in is still held, so it need not be asked again. */
  hasOneTimePassword: boolean;
  signIn: (username: string, password: string) => Promise<User>;
  changePassword: (newPassword: string, currentPassword?: string) => Promise<User>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({ status: 'loading' });
  // The password typed at sign-in, kept in memory only until the forced change uses it, so a
  // user is not asked for the same one-time password twice in a row.
  const oneTimePassword = useRef<string | null>(null);
  const [hasOneTimePassword, setHasOneTimePassword] = useState(false);

  const rememberOneTimePassword = useCallback((password: string | null) => {
    oneTimePassword.current = password;
    setHasOneTimePassword(password !== null);
  }, []);

  const accept = useCallback((answer: AuthAnswer): User => {
    setCsrfToken(answer.csrfToken);
    setSession({ status: 'signed-in', user: answer.user });
    return answer.user;
  }, []);

  const forget = useCallback(() => {
    setCsrfToken(null);
    rememberOneTimePassword(null);
    setSession({ status: 'signed-out' });
  }, [rememberOneTimePassword]);

  useEffect(() => {
    // The session lives in an HttpOnly cookie, so only the server can say whether we have one.
    let isCurrent = true;
    authApi.fetchMe().then(
      (answer) => {
        if (isCurrent) accept(answer);
      },
      (error: unknown) => {
        if (!isCurrent) return;
        if (!(error instanceof ApiError && error.code === 'AUTH_UNAUTHENTICATED')) {
          console.error('Could not restore the session', error);
        }
        forget();
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [accept, forget]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const user = accept(await authApi.signIn(username, password));
      rememberOneTimePassword(user.mustChangePassword ? password : null);
      return user;
    },
    [accept, rememberOneTimePassword],
  );

  const changePassword = useCallback(
    async (newPassword: string, currentPassword?: string) => {
      const current = currentPassword ?? oneTimePassword.current ?? '';
      try {
        const user = accept(await authApi.changePassword(current, newPassword));
        rememberOneTimePassword(null);
        return user;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'AUTH_UNAUTHENTICATED') forget();
        // A rejected remembered password is useless; fall back to asking for it.
        if (error instanceof ApiError && error.code === 'AUTH_INVALID_CREDENTIALS') {
          rememberOneTimePassword(null);
        }
        throw error;
      }
    },
    [accept, forget, rememberOneTimePassword],
  );

  const signOut = useCallback(async () => {
    try {
      await authApi.signOut();
    } catch (error) {
      // Already signed out on the server: the goal is reached, so do not report a failure.
      if (!(error instanceof ApiError && error.code === 'AUTH_UNAUTHENTICATED')) throw error;
    }
    forget();
  }, [forget]);

  const value = useMemo(
    () => ({ session, hasOneTimePassword, signIn, changePassword, signOut }),
    [session, hasOneTimePassword, signIn, changePassword, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/** For pages behind the sign-in gate, where a missing user would be a routing defect. */
export function useSignedInUser(): User {
  const { session } = useSession();
  if (session.status !== 'signed-in') {
    throw new Error('useSignedInUser used outside the sign-in gate');
  }
  return session.user;
}

export type Role =
  'platform_admin' | 'merchant_admin' | 'agent' | 'dispatcher' | 'reviewer' | 'technician';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  merchantId: string | null;
  mustChangePassword: boolean;
}

/** What sign-in, `/me` and a password change all answer. */
export interface AuthAnswer {
  user: User;
  csrfToken: string;
}

/** Mirrors the server's rule so the form can explain it before a round trip. */
export const minPasswordLength = 12;

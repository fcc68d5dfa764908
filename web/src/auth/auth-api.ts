import { apiRequest } from '../api';
import type { AuthAnswer } from './model';

export function signIn(username: string, password: string): Promise<AuthAnswer> {
  return apiRequest<AuthAnswer>('POST', '/api/auth/sign-in', { username, password });
}

export function fetchMe(): Promise<AuthAnswer> {
  return apiRequest<AuthAnswer>('GET', '/api/auth/me');
}

export function changePassword(currentPassword: string, newPassword: string): Promise<AuthAnswer> {
  return apiRequest<AuthAnswer>('POST', '/api/auth/password', { currentPassword, newPassword });
}

export function signOut(): Promise<void> {
  // The server answers 204 with no body.
  return apiRequest<undefined>('POST', '/api/auth/sign-out');
}

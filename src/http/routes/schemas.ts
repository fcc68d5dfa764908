import { z } from 'zod';
import { API_KEY_SCOPES, ROLES } from '../../auth/index.js';

/** Shared request and response shapes; bodies are strict so unknown fields are refused. */
export const id = z.string().min(1).max(64);
export const idParams = z.strictObject({ id });
export const role = z.enum(ROLES);
export const instant = z.string();

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const user = z.object({
  id: z.string(),
  merchantId: z.string().nullable(),
  username: z.string(),
  displayName: z.string(),
  role,
  status: z.enum(['active', 'disabled']),
  mustChangePassword: z.boolean(),
  lockedUntil: instant.nullable(),
  lastSignInAt: instant.nullable(),
  createdAt: instant,
});

export const merchant = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['active', 'suspended']),
  createdAt: instant,
});

export const apiKeyScope = z.enum(API_KEY_SCOPES);

export const apiKey = z.object({
  id: z.string(),
  merchantId: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(apiKeyScope),
  createdBy: z.string(),
  createdAt: instant,
  lastUsedAt: instant.nullable(),
  revokedAt: instant.nullable(),
});

export const customer = z.object({
  id: z.string(),
  merchantId: z.string(),
  name: z.string(),
  phone: z.string(),
  address: z.string().nullable(),
  idNumber: z.string().nullable(),
  createdAt: instant,
  updatedAt: instant,
});

export const merchantQuery = z.strictObject({ merchantId: id.optional() });

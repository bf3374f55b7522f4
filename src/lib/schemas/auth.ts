import { z } from 'zod';
import { uuidSchema } from './common';

/** Code points, not UTF-16 units: an emoji is one character to the person typing it. */
export function passwordLength(password: string): number {
	return [...password].length;
}

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export const userRoles = ['admin', 'member'] as const;
export const userRoleSchema = z.enum(userRoles);
export type UserRole = z.infer<typeof userRoleSchema>;

/** Emails are compared trimmed and lower-cased, so "Ann@Example.com " and "ann@example.com" are one account. */
export const emailSchema = z
	.string({ message: 'Enter your email address' })
	.trim()
	.toLowerCase()
	.min(1, 'Enter your email address')
	.max(254, 'That email address is too long')
	.pipe(z.email({ message: 'Enter a valid email address' }));

/**
 * A new password: 8 to 256 characters of anything, spaces and any script included. It is never
 * trimmed or truncated, so what is typed is exactly what is checked.
 */
export const newPasswordSchema = z
	.string({ message: 'Enter a password' })
	.refine((p) => passwordLength(p) >= PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
	.refine((p) => passwordLength(p) <= PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters`);

/** Signing in checks nothing about the policy (older passwords stay valid); the bound only caps work. */
const currentPasswordSchema = z
	.string({ message: 'Enter your password' })
	.min(1, 'Enter your password')
	.max(PASSWORD_MAX * 4, 'That password is too long');

const nameSchema = z
	.string()
	.trim()
	.max(100, 'Use at most 100 characters')
	.optional()
	.transform((v) => (v ? v : undefined));

export const signUpInput = z.object({
	email: emailSchema,
	password: newPasswordSchema,
	name: nameSchema
});

export const signInInput = z.object({
	email: emailSchema,
	password: currentPasswordSchema
});

export const changePasswordInput = z.object({
	currentPassword: currentPasswordSchema,
	newPassword: newPasswordSchema
});

export const tokenRevokeInput = z.object({ id: uuidSchema });

/** What an admin may change on an account. Unknown fields (email, password…) are dropped by zod. */
export const userUpdateInput = z.object({
	userId: uuidSchema,
	role: userRoleSchema.optional(),
	disabled: z.boolean().optional()
});

/** `auth.me` and the signed-in user everywhere (ctx.user, locals.user). */
export const authUserSchema = z.object({
	id: z.string(),
	email: z.string(),
	name: z.string().nullable(),
	role: userRoleSchema
});
export type AuthUser = z.infer<typeof authUserSchema>;

export type SignUpInput = z.infer<typeof signUpInput>;
export type SignInInput = z.infer<typeof signInInput>;
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;
export type UserUpdateInput = z.infer<typeof userUpdateInput>;

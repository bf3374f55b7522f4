import { changePasswordInput, tokenRevokeInput } from '$lib/schemas/auth';
import { tokenCreateInput } from '$lib/schemas/tokens';
import { requireSession } from '$lib/server/auth/guards';
import { failedForm, fieldFailure, invalidForm, textFields } from '$lib/server/http/form';
import type { Actions, PageServerLoad } from './$types';

// Every load and action here needs a signed-in session: an API token manages nothing.
export const load: PageServerLoad = async (event) => {
	const { user } = await requireSession(event);
	return { tokens: await event.locals.app.users.listTokens(user.id), now: new Date() };
};

export const actions: Actions = {
	password: async (event) => {
		const { user, sessionId } = await requireSession(event);
		const data = await event.request.formData();
		const parsed = changePasswordInput.safeParse({
			currentPassword: data.get('currentPassword'),
			newPassword: data.get('newPassword')
		});
		if (!parsed.success) return invalidForm(parsed.error, {}, 'password');
		if (data.get('confirmPassword') !== parsed.data.newPassword) {
			return fieldFailure('confirmPassword', 'The two new passwords differ', 'password');
		}
		try {
			await event.locals.app.auth.changePassword(user.id, parsed.data, { sessionId });
		} catch (error) {
			return failedForm(error, {}, 'password');
		}
		return { passwordChanged: true };
	},

	createToken: async (event) => {
		const { user } = await requireSession(event);
		const data = await event.request.formData();
		const scopes = data.getAll('scopes').map(String);
		const values: Record<string, string> = {
			...textFields(data, ['name', 'expires', 'expiresAt', 'allowedModels', 'monthlyBudgetUsd']),
			scopes: scopes.join(',')
		};
		// An empty budget field means no budget of the token's own; anything else must be a number.
		const budget = values.monthlyBudgetUsd.trim();
		const parsed = tokenCreateInput.safeParse({
			name: values.name,
			scopes,
			expires: values.expires || undefined,
			expiresAt: values.expiresAt || undefined,
			// One model or alias per line (or separated by commas).
			allowedModels: values.allowedModels.split(/[\s,]+/).filter(Boolean),
			monthlyBudgetUsd: budget === '' ? undefined : Number(budget)
		});
		if (!parsed.success) return invalidForm(parsed.error, values, 'tokens');
		try {
			// Shown once, in this answer only.
			const created = await event.locals.app.users.createToken(user.id, parsed.data);
			return { created };
		} catch (error) {
			return failedForm(error, values, 'tokens');
		}
	},

	revokeToken: async (event) => {
		const { user } = await requireSession(event);
		const parsed = tokenRevokeInput.safeParse({ id: (await event.request.formData()).get('id') });
		if (!parsed.success) return invalidForm(parsed.error, {}, 'tokens');
		try {
			await event.locals.app.users.revokeToken(user.id, parsed.data.id);
		} catch (error) {
			return failedForm(error, {}, 'tokens');
		}
		return { revoked: true };
	}
};

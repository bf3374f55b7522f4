import { changePasswordInput, tokenCreateInput, tokenRevokeInput } from '$lib/schemas/auth';
import { requireSession } from '$lib/server/auth/guards';
import { failedForm, fieldFailure, invalidForm, textFields } from '$lib/server/http/form';
import { authService } from '$lib/server/services/auth-service';
import { userService } from '$lib/server/services/user-service';
import type { Actions, PageServerLoad } from './$types';

// Every load and action here needs a signed-in session: an API token manages nothing.
export const load: PageServerLoad = async (event) => {
	const { user } = await requireSession(event);
	return { tokens: await userService(event.locals.app).listTokens(user.id) };
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
			await authService(event.locals.app).changePassword(user.id, parsed.data, { sessionId });
		} catch (error) {
			return failedForm(error, {}, 'password');
		}
		return { passwordChanged: true };
	},

	createToken: async (event) => {
		const { user } = await requireSession(event);
		const data = await event.request.formData();
		const values = textFields(data, ['name', 'monthlyBudgetUsd']);
		// An empty budget field means no budget of the token's own; anything else must be a number.
		const budget = values.monthlyBudgetUsd.trim();
		const parsed = tokenCreateInput.safeParse({
			name: values.name,
			monthlyBudgetUsd: budget === '' ? undefined : Number(budget)
		});
		if (!parsed.success) return invalidForm(parsed.error, values, 'tokens');
		// Shown once, in this answer only.
		const created = await userService(event.locals.app).createToken(user.id, parsed.data);
		return { created };
	},

	revokeToken: async (event) => {
		const { user } = await requireSession(event);
		const parsed = tokenRevokeInput.safeParse({ id: (await event.request.formData()).get('id') });
		if (!parsed.success) return invalidForm(parsed.error, {}, 'tokens');
		try {
			await userService(event.locals.app).revokeToken(user.id, parsed.data.id);
		} catch (error) {
			return failedForm(error, {}, 'tokens');
		}
		return { revoked: true };
	}
};

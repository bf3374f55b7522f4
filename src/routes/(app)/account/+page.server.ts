import { changePasswordInput, tokenCreateInput, tokenRevokeInput } from '$lib/schemas/auth';
import { authenticateRequest } from '$lib/server/auth/authenticate';
import { requireUser } from '$lib/server/auth/guards';
import { failedForm, fieldFailure, invalidForm, textFields } from '$lib/server/http/form';
import { authService } from '$lib/server/services/auth-service';
import { userService } from '$lib/server/services/user-service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	return { tokens: await userService(locals.app).listTokens(user.id) };
};

export const actions: Actions = {
	password: async (event) => {
		const user = requireUser(event.locals, event.url);
		const data = await event.request.formData();
		const parsed = changePasswordInput.safeParse({
			currentPassword: data.get('currentPassword'),
			newPassword: data.get('newPassword')
		});
		if (!parsed.success) return invalidForm(parsed.error, {}, 'password');
		if (data.get('confirmPassword') !== parsed.data.newPassword) {
			return fieldFailure('confirmPassword', 'The two new passwords differ', 'password');
		}
		const auth = await authenticateRequest(event.locals.app, event.request);
		try {
			await authService(event.locals.app).changePassword(user.id, parsed.data, {
				address: event.getClientAddress(),
				keepSessionId: auth?.via === 'session' ? auth.sessionId : null
			});
		} catch (error) {
			return failedForm(error, {}, 'password');
		}
		return { passwordChanged: true };
	},

	createToken: async (event) => {
		const user = requireUser(event.locals, event.url);
		const data = await event.request.formData();
		const values = textFields(data, ['name']);
		const parsed = tokenCreateInput.safeParse(values);
		if (!parsed.success) return invalidForm(parsed.error, values, 'tokens');
		// Shown once, in this answer only.
		const created = await userService(event.locals.app).createToken(user.id, parsed.data);
		return { created };
	},

	revokeToken: async (event) => {
		const user = requireUser(event.locals, event.url);
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

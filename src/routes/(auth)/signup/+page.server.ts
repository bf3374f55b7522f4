import { redirect } from '@sveltejs/kit';
import { signUpInput } from '$lib/schemas/auth';
import { startFormSession } from '$lib/server/auth/form-session';
import { failedForm, invalidForm, textFields } from '$lib/server/http/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const status = await locals.app.auth.signUpStatus();
	return { signUpOpen: status.open, firstRun: status.firstRun };
};

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const values = textFields(data, ['email', 'name']);
		const parsed = signUpInput.safeParse({
			email: data.get('email'),
			password: data.get('password'),
			name: data.get('name') ?? undefined
		});
		if (!parsed.success) return invalidForm(parsed.error, values);
		try {
			await startFormSession(event, (context) => event.locals.app.auth.signUp(parsed.data, context));
		} catch (error) {
			return failedForm(error, values);
		}
		redirect(303, '/');
	}
};

import { redirect } from '@sveltejs/kit';
import { signInInput } from '$lib/schemas/auth';
import { startFormSession } from '$lib/server/auth/form-session';
import { safeNextPath } from '$lib/server/auth/guards';
import { failedForm, invalidForm, textFields } from '$lib/server/http/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const status = await locals.app.auth.signUpStatus();
	// Before the first account there is no one to sign in: the first visitor makes the admin.
	if (status.firstRun) redirect(303, '/signup');
	return { signUpOpen: status.open };
};

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const values = textFields(data, ['email']);
		const parsed = signInInput.safeParse({ email: data.get('email'), password: data.get('password') });
		if (!parsed.success) return invalidForm(parsed.error, values);
		try {
			await startFormSession(event, (context) => event.locals.app.auth.signIn(parsed.data, context));
		} catch (error) {
			return failedForm(error, values);
		}
		redirect(303, safeNextPath(event.url.searchParams.get('next')));
	}
};

import { userUpdateInput } from '$lib/schemas/auth';
import { userLimitsInput } from '$lib/schemas/budget';
import { requireAdmin } from '$lib/server/auth/guards';
import { failedForm, invalidForm } from '$lib/server/http/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const me = requireAdmin(locals, url);
	return { users: await locals.app.users.list(), me: me.id };
};

/** Form fields are strings: "true"/"false" become booleans, absent fields stay absent. */
function flag(value: FormDataEntryValue | null): boolean | undefined {
	return value === null ? undefined : value === 'true';
}

/** An empty number field is "follow the role" (null); anything else must parse as a number. */
function numberOrNull(value: FormDataEntryValue | null): number | null {
	const text = String(value ?? '').trim();
	return text === '' ? null : Number(text);
}

export const actions: Actions = {
	limits: async (event) => {
		const actor = requireAdmin(event.locals, event.url);
		const data = await event.request.formData();
		const parsed = userLimitsInput.safeParse({
			userId: data.get('userId'),
			monthlyBudgetUsd: numberOrNull(data.get('monthlyBudgetUsd')),
			maxConcurrent: numberOrNull(data.get('maxConcurrent')),
			requestsPerMinute: numberOrNull(data.get('requestsPerMinute'))
		});
		if (!parsed.success) return invalidForm(parsed.error, {});
		try {
			const user = await event.locals.app.users.setLimits(actor, parsed.data);
			return { updated: user.email };
		} catch (error) {
			return failedForm(error, {});
		}
	},
	update: async (event) => {
		const actor = requireAdmin(event.locals, event.url);
		const data = await event.request.formData();
		const parsed = userUpdateInput.safeParse({
			userId: data.get('userId'),
			role: data.get('role') ?? undefined,
			disabled: flag(data.get('disabled'))
		});
		if (!parsed.success) return invalidForm(parsed.error, {});
		try {
			const user = await event.locals.app.users.update(actor, parsed.data);
			return { updated: user.email };
		} catch (error) {
			return failedForm(error, {});
		}
	}
};

import type { APIRequestContext } from '@playwright/test';
import { call } from './api';
import { longAnswer } from './long-answer';
import { script } from './emulators';

/**
 * Every page of the app, for the checks that must hold on all of them (accessibility, 375 px).
 * The chat is a real one with a long markdown answer (table, code), made through the API.
 */
export type AppPage = { name: string; path: string; signedOut?: boolean };

export const signedOutPages: AppPage[] = [
	{ name: 'sign in', path: '/login', signedOut: true },
	{ name: 'sign up', path: '/signup', signedOut: true }
];

export async function appPages(request: APIRequestContext): Promise<AppPage[]> {
	const chatId = await seededChat(request);
	return [
		{ name: 'home', path: '/' },
		{ name: 'chat', path: `/chat/${chatId}` },
		{ name: 'usage', path: '/usage' },
		{ name: 'providers', path: '/settings/providers' },
		{ name: 'account', path: '/account' },
		{ name: 'admin users', path: '/admin/users' },
		{ name: 'admin audit', path: '/admin/audit' },
		{ name: 'not found', path: '/no-such-page' }
	];
}

/** A chat with one question and a long markdown answer (heading, table, code, list, quote). */
export async function seededChat(request: APIRequestContext): Promise<string> {
	const model = { providerId: 'anthropic', modelId: 'claude-haiku-4-5' };
	const chat = await call<{ id: string }>(request, 'chats.create', {
		title: 'A chat with a table',
		...model
	});
	await script('anthropic', { chunks: [longAnswer(1)] });
	await call(request, 'chats.send', { chatId: chat.id, content: 'How do I measure a relay?', ...model });
	for (let i = 0; i < 100; i++) {
		const detail = await call<{ messages: { status: string }[] }>(
			request,
			'chats.get',
			{ chatId: chat.id },
			'query'
		);
		if (detail.messages.at(-1)?.status === 'complete') return chat.id;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error('The seeded answer did not complete');
}

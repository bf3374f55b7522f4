import { relations } from 'drizzle-orm';
import { attachments } from './attachments';
import { chats, messages } from './chats';

export const chatsRelations = relations(chats, ({ many }) => ({ messages: many(messages) }));
export const messagesRelations = relations(messages, ({ one, many }) => ({
	chat: one(chats, { fields: [messages.chatId], references: [chats.id] }),
	attachments: many(attachments)
}));
export const attachmentsRelations = relations(attachments, ({ one }) => ({
	message: one(messages, { fields: [attachments.messageId], references: [messages.id] })
}));

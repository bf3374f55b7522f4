import { relations } from 'drizzle-orm';
import { chats, messages } from './chats';

export const chatsRelations = relations(chats, ({ many }) => ({ messages: many(messages) }));
export const messagesRelations = relations(messages, ({ one }) => ({
	chat: one(chats, { fields: [messages.chatId], references: [chats.id] })
}));

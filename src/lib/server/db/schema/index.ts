export * from './users';
export * from './providers';
export * from './chats';
export * from './usage';
export * from './audit';
export * from './attachments';
export * from './settings';
export * from './relations';

/**
 * The chat the home page has just started (its first message sent) while the address is still `/`:
 * until the chat's own page takes over, the sidebar's controls belong to that chat, so a model picked
 * meanwhile changes the chat on screen, not the next new chat's defaults.
 */
export const homeChat = $state<{ id: string | null }>({ id: null });

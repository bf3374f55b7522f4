import { z } from 'zod';

/** `system` follows the device's light or dark setting; the others pin one. */
export const themes = ['system', 'light', 'dark'] as const;
export const themeSchema = z.enum(themes);
export type Theme = z.infer<typeof themeSchema>;

export const setThemeInput = z.object({ theme: themeSchema });

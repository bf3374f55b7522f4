import { attachmentUploadInput } from '$lib/schemas/attachments';
import { protectedProcedure, router } from '../init';

export const attachmentsRouter = router({
	/** Checks and stores a file; send its id with chats.send. Bytes come back from /api/attachments/<id>. */
	upload: protectedProcedure
		.input(attachmentUploadInput)
		.mutation(({ ctx, input }) => ctx.app.attachments.upload(ctx.user.id, input))
});

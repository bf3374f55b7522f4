// Preloaded (`node --import`) into every server process of the ladder: the emulator, the B1 proxy
// and the built app. Plain JavaScript on purpose: the built app runs without tsx, and this must not
// change how the app loads. It measures event-loop delay where the relaying happens and answers
// the bench over the IPC channel; the app's own code is untouched.
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Timer resolution; the histogram records whole intervals, so this is subtracted from each figure. */
const RESOLUTION_MS = 10;
const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
histogram.enable();

const ms = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);

function snapshot() {
	return {
		eld: {
			count: histogram.count,
			p50Ms: histogram.count ? ms(histogram.percentile(50)) : 0,
			p99Ms: histogram.count ? ms(histogram.percentile(99)) : 0,
			maxMs: histogram.count ? ms(histogram.max) : 0,
			meanMs: histogram.count ? ms(histogram.mean) : 0
		},
		memory: process.memoryUsage(),
		cpu: process.cpuUsage()
	};
}

if (process.send) {
	process.on('message', (message) => {
		if (!message || typeof message !== 'object' || !('probe' in message)) return;
		if (message.probe === 'reset') histogram.reset();
		if (message.probe === 'gc' && typeof globalThis.gc === 'function') globalThis.gc();
		process.send?.({ probeReply: message.id, stats: snapshot() });
	});
	// The channel must not keep a process alive on its own, and a bench that died takes its servers along.
	process.channel?.unref();
	process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

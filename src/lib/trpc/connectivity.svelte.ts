/** Whether the browser thinks it is online; the UI says so instead of failing request by request. */
class Connectivity {
	online = $state(true);
	#started = false;

	start() {
		if (this.#started || typeof window === 'undefined') return;
		this.#started = true;
		this.online = navigator.onLine;
		window.addEventListener('online', () => (this.online = true));
		window.addEventListener('offline', () => (this.online = false));
	}
}

export const connectivity = new Connectivity();

import { defineBackground } from '#imports';

export default defineBackground(() => {
  // Filled in by the extension issue; kept so `wxt prepare` has an entrypoint.
});

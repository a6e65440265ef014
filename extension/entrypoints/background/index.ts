import { browser, defineBackground } from '#imports';
import { createBackground } from '../../background/create-background';

export default defineBackground(() => {
  // Everything the worker reacts to is registered synchronously here, so that a view connecting
  // wakes a stopped worker and finds its listener. No state survives a restart: the connection
  // manager starts from scratch and reconnects on the first request.
  const background = createBackground();
  browser.runtime.onConnect.addListener((port) => background.hub.accept(port));
});

import { browser, defineBackground } from '#imports';
import { createBackground } from '../../background/create-background';
import { followDaemonOnToolbar, type ActionLike } from '../../background/toolbar-badge';

export default defineBackground(() => {
  // Everything the worker reacts to is registered synchronously here, so that a view connecting
  // wakes a stopped worker and finds its listener. No state survives a restart: the connection
  // manager starts from scratch.
  // The connection is never closed for idleness: the toolbar badge follows the daemon's pushed
  // status with no popup open (an open native port also keeps the worker alive, see
  // shared/docs/extension-e2e.md §5).
  const background = createBackground({}, { idleCloseMs: 0 });
  browser.runtime.onConnect.addListener((port) => background.hub.accept(port));
  // Firefox's MV2 build has browserAction where Chromium's MV3 has action.
  const action = (browser.action ?? (browser as unknown as { browserAction: ActionLike }).browserAction) as unknown as ActionLike;
  followDaemonOnToolbar(background.manager, action);
  background.manager.connect();
});

import { connectToBackground } from '../../utils/background-client';
import { requestDaemonSnapshot } from '../../utils/daemon-snapshot';
import '../../assets/base.css';
import './style.css';

// First, before the rest of the popup loads (Preact, the components, the texts): the popup's
// request is what wakes the background and, when no daemon runs, has it started, which is most of
// the wait for the first state shown. This module and what it imports are kept small for that.
const client = connectToBackground();
const firstSnapshot = requestDaemonSnapshot(client);
void import('./show-popup').then(({ showPopup }) => showPopup(client, firstSnapshot));

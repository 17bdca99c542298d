// Registers the example sender with the send-sample command line, for tests only: the one line a
// sender needs besides its folder (a real sender's line is in nodes/senders.json).
//   node --import ./test/example-sender/register.mjs bin/n8n-nodes-ilink-invoicy.mjs send-sample example-event ...
import { registerSender } from '../../bin/lib/senders.mjs';

registerSender(new URL('./', import.meta.url));

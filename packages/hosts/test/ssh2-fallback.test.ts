import { sshTransportSuite } from './support/ssh-transport-suite';

// The harness's fallback server, so machines without OpenSSH still test the transport for real.
sshTransportSuite('ssh2', false);

import { sshTransportSuite } from './support/ssh-transport-suite';

// OpenSSH's sshd when /usr/sbin/sshd exists (CI installs openssh-server), else ssh2's server.
sshTransportSuite('auto', true);

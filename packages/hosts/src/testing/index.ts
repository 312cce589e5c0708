export { createFakeDocker, FAKE_DOCKER_BIN_DIR, type FakeDocker, type FakeDockerCall } from './fake-docker';
export { freePort } from './free-port';
export {
  buildCrashingAgentImage,
  buildSampleAgentImage,
  type RealDocker,
  realDockerUnavailable,
  type SampleAgentImageOptions,
  type StartRealDockerOptions,
  skipWithoutRealDocker,
  startRealDocker,
} from './real-docker';
export { OPENSSH_SSHD, type StartTestSshdOptions, startTestSshd, type TestSshd } from './sshd';

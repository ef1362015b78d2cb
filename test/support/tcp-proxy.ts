// One proxy for the tests and the chaos soak (bench/ is built on its own, so the class lives there).
export { TcpProxy } from '../../bench/support/tcp-proxy';

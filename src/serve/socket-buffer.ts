/**
 * Stream buffer (high-water mark) of every socket serve opens: above one
 * 64 KiB read, so that piping a bulk transfer does not pause and resume
 * reading (an epoll_ctl pair) on every chunk.
 */
export const SOCKET_BUFFER_BYTES = 256 * 1024

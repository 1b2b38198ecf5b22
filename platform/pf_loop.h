/*
 * pf_loop.h -- the appliance's one event loop: file descriptors and timers.
 *
 * One thread owns all control state (CLI sessions, the store, the IKE engine)
 * and runs this loop. Callbacks run on that thread, one at a time, so nothing
 * they touch needs a lock. Callbacks may add and remove descriptors and timers,
 * including their own.
 */
#ifndef VPNSH_PF_LOOP_H
#define VPNSH_PF_LOOP_H

#include <stdint.h>

#define PF_LOOP_READ  0x1u
#define PF_LOOP_WRITE 0x4u
#define PF_LOOP_HUP   0x10u

struct pf_loop;
struct pf_timer;

typedef void (*pf_fd_cb)(void *arg, int fd, unsigned events);
typedef void (*pf_timer_cb)(void *arg);

struct pf_loop *pf_loop_new(void);
void pf_loop_free(struct pf_loop *loop);

/* Watch fd for the PF_LOOP_* events; one registration per fd. */
int pf_loop_add_fd(struct pf_loop *loop, int fd, unsigned events, pf_fd_cb cb, void *arg);
int pf_loop_mod_fd(struct pf_loop *loop, int fd, unsigned events);
int pf_loop_del_fd(struct pf_loop *loop, int fd);

/* One-shot timer after delay_ms; returns NULL on allocation failure. */
struct pf_timer *pf_timer_add(struct pf_loop *loop, uint64_t delay_ms, pf_timer_cb cb, void *arg);
/* Cancel a timer that has not fired yet (a fired timer is already freed). */
void pf_timer_cancel(struct pf_loop *loop, struct pf_timer *timer);

/* Run until pf_loop_stop(); returns 0, or -errno if epoll fails. */
int pf_loop_run(struct pf_loop *loop);
/* Fire due timers and wait at most max_wait_ms (-1: until something happens)
 * for one round of events. For a caller that must block inside a library
 * (the console's line editor) and keeps the loop turning from there. */
int pf_loop_run_once(struct pf_loop *loop, int max_wait_ms);
void pf_loop_stop(struct pf_loop *loop);

/* Monotonic milliseconds. */
uint64_t pf_now_ms(void);

#endif

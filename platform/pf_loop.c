/*
 * pf_loop.c -- epoll event loop with a binary heap of one-shot timers.
 *
 * Descriptors are kept in an array indexed by fd (descriptors are small
 * integers); timers in a min-heap ordered by deadline, each timer knowing its
 * heap slot so that cancelling is O(log n).
 */
#include "platform/pf_loop.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

struct pf_watch {
	pf_fd_cb cb;
	void *arg;
	bool used;
};

struct pf_timer {
	uint64_t deadline;
	pf_timer_cb cb;
	void *arg;
	size_t slot;
};

struct pf_loop {
	int epfd;
	bool stop;
	struct pf_watch *watch;
	size_t nwatch;
	struct pf_timer **heap;
	size_t nheap, capheap;
};

uint64_t pf_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct pf_loop *pf_loop_new(void)
{
	struct pf_loop *loop = calloc(1, sizeof(*loop));
	if (!loop)
		return NULL;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		free(loop);
		return NULL;
	}
	return loop;
}

void pf_loop_free(struct pf_loop *loop)
{
	if (!loop)
		return;
	close(loop->epfd);
	for (size_t i = 0; i < loop->nheap; i++)
		free(loop->heap[i]);
	free(loop->heap);
	free(loop->watch);
	free(loop);
}

static uint32_t pf_loop_epoll_events(unsigned events)
{
	uint32_t ev = 0;
	if (events & PF_LOOP_READ)
		ev |= EPOLLIN;
	if (events & PF_LOOP_WRITE)
		ev |= EPOLLOUT;
	return ev;
}

int pf_loop_add_fd(struct pf_loop *loop, int fd, unsigned events, pf_fd_cb cb, void *arg)
{
	if (fd < 0)
		return -EBADF;
	if ((size_t)fd >= loop->nwatch) {
		size_t n = (size_t)fd + 16;
		struct pf_watch *w = realloc(loop->watch, n * sizeof(*w));
		if (!w)
			return -ENOMEM;
		memset(w + loop->nwatch, 0, (n - loop->nwatch) * sizeof(*w));
		loop->watch = w;
		loop->nwatch = n;
	}
	struct epoll_event ev = { .events = pf_loop_epoll_events(events), .data.fd = fd };
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	loop->watch[fd] = (struct pf_watch){ .cb = cb, .arg = arg, .used = true };
	return 0;
}

int pf_loop_mod_fd(struct pf_loop *loop, int fd, unsigned events)
{
	struct epoll_event ev = { .events = pf_loop_epoll_events(events), .data.fd = fd };
	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return -errno;
	return 0;
}

int pf_loop_del_fd(struct pf_loop *loop, int fd)
{
	if (fd < 0 || (size_t)fd >= loop->nwatch || !loop->watch[fd].used)
		return -ENOENT;
	loop->watch[fd].used = false;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL) < 0)
		return -errno;
	return 0;
}

/* ---- timer heap ---- */

static void pf_heap_set(struct pf_loop *loop, size_t slot, struct pf_timer *t)
{
	loop->heap[slot] = t;
	t->slot = slot;
}

static void pf_heap_up(struct pf_loop *loop, size_t slot)
{
	struct pf_timer *t = loop->heap[slot];
	while (slot > 0) {
		size_t parent = (slot - 1) / 2;
		if (loop->heap[parent]->deadline <= t->deadline)
			break;
		pf_heap_set(loop, slot, loop->heap[parent]);
		slot = parent;
	}
	pf_heap_set(loop, slot, t);
}

static void pf_heap_down(struct pf_loop *loop, size_t slot)
{
	struct pf_timer *t = loop->heap[slot];
	for (;;) {
		size_t child = slot * 2 + 1;
		if (child >= loop->nheap)
			break;
		if (child + 1 < loop->nheap && loop->heap[child + 1]->deadline < loop->heap[child]->deadline)
			child++;
		if (t->deadline <= loop->heap[child]->deadline)
			break;
		pf_heap_set(loop, slot, loop->heap[child]);
		slot = child;
	}
	pf_heap_set(loop, slot, t);
}

static void pf_heap_remove(struct pf_loop *loop, size_t slot)
{
	struct pf_timer *last = loop->heap[--loop->nheap];
	if (slot == loop->nheap)
		return;
	pf_heap_set(loop, slot, last);
	pf_heap_down(loop, slot);
	pf_heap_up(loop, last->slot);
}

struct pf_timer *pf_timer_add(struct pf_loop *loop, uint64_t delay_ms, pf_timer_cb cb, void *arg)
{
	if (loop->nheap == loop->capheap) {
		size_t n = loop->capheap ? loop->capheap * 2 : 16;
		struct pf_timer **h = realloc(loop->heap, n * sizeof(*h));
		if (!h)
			return NULL;
		loop->heap = h;
		loop->capheap = n;
	}
	struct pf_timer *t = malloc(sizeof(*t));
	if (!t)
		return NULL;
	t->deadline = pf_now_ms() + delay_ms;
	t->cb = cb;
	t->arg = arg;
	pf_heap_set(loop, loop->nheap++, t);
	pf_heap_up(loop, t->slot);
	return t;
}

void pf_timer_cancel(struct pf_loop *loop, struct pf_timer *timer)
{
	if (!timer)
		return;
	pf_heap_remove(loop, timer->slot);
	free(timer);
}

/* Fire every timer that is due; returns the wait in ms until the next one. */
static int pf_loop_fire_timers(struct pf_loop *loop)
{
	uint64_t now = pf_now_ms();
	while (loop->nheap > 0 && loop->heap[0]->deadline <= now && !loop->stop) {
		struct pf_timer *t = loop->heap[0];
		pf_heap_remove(loop, 0);
		t->cb(t->arg);
		free(t);
		now = pf_now_ms();
	}
	if (loop->nheap == 0)
		return -1;
	uint64_t wait = loop->heap[0]->deadline - now;
	return wait > 60000 ? 60000 : (int)wait;
}

int pf_loop_run_once(struct pf_loop *loop, int max_wait_ms)
{
	struct epoll_event evs[32];
	int timeout = pf_loop_fire_timers(loop);
	if (loop->stop)
		return 0;
	if (max_wait_ms >= 0 && (timeout < 0 || timeout > max_wait_ms))
		timeout = max_wait_ms;
	int n = epoll_wait(loop->epfd, evs, 32, timeout);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n && !loop->stop; i++) {
		int fd = evs[i].data.fd;
		/* An earlier callback in this batch may have removed fd. */
		if ((size_t)fd >= loop->nwatch || !loop->watch[fd].used)
			continue;
		unsigned events = 0;
		if (evs[i].events & (EPOLLIN | EPOLLPRI))
			events |= PF_LOOP_READ;
		if (evs[i].events & EPOLLOUT)
			events |= PF_LOOP_WRITE;
		if (evs[i].events & (EPOLLHUP | EPOLLERR | EPOLLRDHUP))
			events |= PF_LOOP_HUP | PF_LOOP_READ;
		loop->watch[fd].cb(loop->watch[fd].arg, fd, events);
	}
	return 0;
}

int pf_loop_run(struct pf_loop *loop)
{
	loop->stop = false;
	while (!loop->stop) {
		int rc = pf_loop_run_once(loop, -1);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void pf_loop_stop(struct pf_loop *loop)
{
	loop->stop = true;
}

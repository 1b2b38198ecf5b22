/*
 * test_pf_link.c -- interfaces and routes against a real kernel, in a
 * network namespace of the test's own (an unprivileged user namespace when
 * not root): a veth pair is created there and every pf_link call is checked
 * against what `ip` then reports. Where no namespace can be made the test
 * says so and is skipped, never silently passed.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "platform/pf_link.h"
#include "tests/unit/suites.h"

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* A fresh network namespace for this (child) process. */
static int enter_netns(void)
{
	if (getuid() == 0)
		return unshare(CLONE_NEWNET);
	uid_t uid = getuid();
	gid_t gid = getgid();
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
		return -1;
	char map[64];
	write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
	if (write_file("/proc/self/uid_map", map) < 0)
		return -1;
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
	return write_file("/proc/self/gid_map", map);
}

/* Whether `cmd` prints a line containing text. */
static bool shell_shows(const char *cmd, const char *text)
{
	FILE *p = popen(cmd, "r");
	if (!p)
		return false;
	char line[512];
	bool found = false;
	while (fgets(line, sizeof(line), p))
		if (strstr(line, text))
			found = true;
	pclose(p);
	return found;
}

#define EXPECT(cond)                                                                   \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "pf_link: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			_exit(1);                                                      \
		}                                                                      \
	} while (0)

/* Runs in the namespace; exit 0 = all good, 77 = could not set up. */
static void link_checks(void)
{
	if (enter_netns() < 0)
		_exit(77);
	if (system("ip link add va type veth peer name vb >/dev/null 2>&1") != 0)
		_exit(77);
	struct pf_link_info info;
	EXPECT(pf_link_get("lo", &info) == 0);
	EXPECT(info.ifindex > 0);
	EXPECT(pf_link_get("no-such-if", &info) == -ENODEV);
	EXPECT(pf_link_set_admin("no-such-if", true) == -ENODEV);

	EXPECT(pf_link_get("va", &info) == 0);
	EXPECT(info.has_mac);
	EXPECT(info.addr == 0);
	EXPECT(!info.admin_up);

	/* 192.0.2.1/24 */
	EXPECT(pf_link_set_ipv4("va", 0xc0000201, 0xffffff00) == 0);
	EXPECT(pf_link_get("va", &info) == 0);
	EXPECT(info.addr == 0xc0000201 && info.mask == 0xffffff00);
	EXPECT(shell_shows("ip -4 addr show dev va", "inet 192.0.2.1/24"));
	/* replacing, not adding */
	EXPECT(pf_link_set_ipv4("va", 0xc0000281, 0xffffff80) == 0);
	EXPECT(shell_shows("ip -4 addr show dev va", "inet 192.0.2.129/25"));
	EXPECT(!shell_shows("ip -4 addr show dev va", "192.0.2.1/24"));

	EXPECT(pf_link_set_admin("va", true) == 0);
	EXPECT(pf_link_set_admin("vb", true) == 0);
	EXPECT(pf_link_get("va", &info) == 0);
	EXPECT(info.admin_up);
	EXPECT(shell_shows("ip link show dev va", "UP"));

	EXPECT(pf_link_set_alias("va", "to the WAN") == 0);
	EXPECT(pf_link_get("va", &info) == 0);
	EXPECT(strcmp(info.alias, "to the WAN") == 0);
	EXPECT(shell_shows("ip link show dev va", "alias to the WAN"));

	/* 198.51.100.0/24 via 192.0.2.130 */
	EXPECT(pf_route_add(0xc6336400, 0xffffff00, 0xc0000282, NULL, 5) == 0);
	EXPECT(shell_shows("ip route show", "198.51.100.0/24 via 192.0.2.130 dev va"));
	EXPECT(pf_route_del(0xc6336400, 0xffffff00, 0xc0000282, NULL, 5) == 0);
	EXPECT(!shell_shows("ip route show", "198.51.100.0/24"));
	/* a route on the device alone */
	EXPECT(pf_route_add(0xcb007100, 0xffffff00, 0, "va", 0) == 0);
	EXPECT(shell_shows("ip route show", "203.0.113.0/24 dev va"));

	struct pf_link_info *all;
	size_t n;
	EXPECT(pf_link_list(&all, &n) == 0);
	EXPECT(n >= 3);
	bool saw_va = false;
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			EXPECT(all[i - 1].ifindex < all[i].ifindex);
		if (strcmp(all[i].name, "va") == 0)
			saw_va = all[i].addr == 0xc0000281;
	}
	free(all);
	EXPECT(saw_va);

	EXPECT(pf_link_clear_ipv4("va") == 0);
	EXPECT(!shell_shows("ip -4 addr show dev va", "inet "));
	EXPECT(pf_link_set_admin("va", false) == 0);
	EXPECT(pf_link_get("va", &info) == 0);
	EXPECT(!info.admin_up);
	_exit(0);
}

START_TEST(links_and_routes)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		link_checks();
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77) {
		fprintf(stderr, "pf_link: SKIPPED: no network namespace with a veth pair can be made here\n");
		return;
	}
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

Suite *pf_link_suite(void)
{
	Suite *s = suite_create("pf_link");
	TCase *tc = tcase_create("netns");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, links_and_routes);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * fuzz_ike.c -- libFuzzer harness for the ISAKMP decoder: any datagram that
 * reaches UDP 500/4500 goes through ike_msg_parse() and the SA parser. Nothing
 * may crash or read outside the buffer (built with ASan/UBSan by `make fuzz`).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ikecore/ike_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly size bytes, so that ASan sees any read past it */
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	static struct ike_msg m;
	static struct ike_sa sa;
	char why[128];
	if (ike_msg_parse(buf, size, &m, why, sizeof(why)) == 0) {
		for (size_t i = 0; i < m.npl; i++)
			if (m.pl[i].type == IKE_PL_SA)
				ike_sa_parse(&m.pl[i], &sa, why, sizeof(why));
		/* the body as if decrypted, with padding allowed */
		if (size > IKE_HDR_LEN)
			ike_msg_parse_payloads(&m, buf[16], buf + IKE_HDR_LEN, size - IKE_HDR_LEN, true, why,
					       sizeof(why));
	}
	free(buf);
	return 0;
}

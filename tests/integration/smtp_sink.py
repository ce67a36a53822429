"""An SMTP sink for the tests, run by Debian's aiosmtpd:

    /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_sink.Sink DIR

(with this directory on PYTHONPATH). Every message is stored exactly as it arrived, as
DIR/<time>-<n>.json = {"mail_from", "rcpt_tos", "data_b64"}, written to a temporary name and
renamed, so a reader never sees half a message.
"""
import base64
import itertools
import json
import os
import time


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.counter = itertools.count(1)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("smtp_sink.Sink takes one argument: the directory")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        name = "%020d-%06d" % (time.time_ns(), next(self.counter))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data_b64": base64.b64encode(data).decode("ascii"),
        }
        tmp = os.path.join(self.directory, name + ".tmp")
        with open(tmp, "w") as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(self.directory, name + ".json"))
        return "250 OK"

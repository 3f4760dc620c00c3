#!/bin/sh
# tracker-lock: a shell line in front of a jar, so that one file is the whole command (needs java on the PATH).
# Start-up flags: C1 only and the serial collector, since the CLI runs for seconds, not hours; CDS of the JDK on.
exec "${JAVA:-java}" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -XX:-UsePerfData -Xss512k \
  -jar "$0" "$@"

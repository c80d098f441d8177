#!/usr/bin/env bash
# Prints the java of the newest JDK 24 or later under /usr/lib/jvm (the AOT cache needs 24+);
# prints nothing and exits 1 when there is none.
for j in $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -V -r); do
  v=$("$j" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  if [ "$v" -ge 24 ] 2>/dev/null; then
    echo "$j"
    exit 0
  fi
done
exit 1

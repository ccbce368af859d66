// The domains the benchmarks synthesize, shared by bench.js and plan.js.

/** n distinct domains with mixed public suffixes and depths, each registered apart (the audit refuses siblings). */
function domains(n) {
  const suffixes = ['com', 'net', 'org', 'de', 'io', 'co.uk'];
  return Array.from({ length: n }, (_, i) => {
    const suffix = suffixes[i % suffixes.length];
    return i % 3 === 0 ? `site${i}.${suffix}` : i % 3 === 1 ? `d${i}-zone${i % 5}.${suffix}` : `chat.d${i}.${suffix}`;
  });
}

module.exports = { domains };

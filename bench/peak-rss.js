// Preloaded with `node -r`: on exit, writes the process's peak resident set
// size (bytes) to the file named by BENCH_RSS_FILE.
const fs = require('fs');
process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) {
    fs.writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS * 1024));
  }
});

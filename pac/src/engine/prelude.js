// pathprobe's date and time helpers for PAC scripts.
//
// Written in JavaScript on purpose: browsers and pacparser implement these
// three with JavaScript Date arithmetic, including its quirks (a day of month
// past the end rolls into the next month, and the two-number form of
// timeRange does not wrap past midnight), and the faithful way to reproduce
// those quirks is to do the same arithmetic. The clock and the local time zone
// behind `new Date()` are supplied by the host, so they can be fixed in tests.
// Every other helper is native.

var __pathprobe_weekdays = { SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6 };
var __pathprobe_months = {
  JAN: 0, FEB: 1, MAR: 2, APR: 3, MAY: 4, JUN: 5,
  JUL: 6, AUG: 7, SEP: 8, OCT: 9, NOV: 10, DEC: 11
};

function __pathprobe_index(table, name) {
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : -1;
}

// A Date whose local fields are the UTC fields of `now`, which is how the
// reference implementation compares a "GMT" range against dates built in
// local time.
function __pathprobe_utc_as_local(now) {
  var shifted = new Date(now.getTime());
  shifted.setFullYear(now.getUTCFullYear());
  shifted.setMonth(now.getUTCMonth());
  shifted.setDate(now.getUTCDate());
  shifted.setHours(now.getUTCHours());
  shifted.setMinutes(now.getUTCMinutes());
  shifted.setSeconds(now.getUTCSeconds());
  return shifted;
}

function __pathprobe_in_range(low, high, at) {
  return low <= high ? low <= at && at <= high : at >= low || at <= high;
}

function weekdayRange() {
  var count = arguments.length;
  if (count < 1) return false;
  var now = new Date();
  var utc = arguments[count - 1] == 'GMT';
  if (utc) count--;
  var today = utc ? now.getUTCDay() : now.getDay();
  var first = __pathprobe_index(__pathprobe_weekdays, arguments[0]);
  var last = count == 2 ? __pathprobe_index(__pathprobe_weekdays, arguments[1]) : first;
  if (first == -1 || last == -1) return false;
  return __pathprobe_in_range(first, last, today);
}

function dateRange() {
  var count = arguments.length;
  if (count < 1) return false;
  var now = new Date();
  var utc = arguments[count - 1] == 'GMT';
  if (utc) count--;

  if (count == 1) {
    var single = parseInt(arguments[0]);
    if (isNaN(single)) {
      var month = utc ? now.getUTCMonth() : now.getMonth();
      return month == __pathprobe_index(__pathprobe_months, arguments[0]);
    }
    if (single < 32) return (utc ? now.getUTCDate() : now.getDate()) == single;
    return (utc ? now.getUTCFullYear() : now.getFullYear()) == single;
  }

  var year = now.getFullYear();
  var low = new Date(year, 0, 1, 0, 0, 0);
  var high = new Date(year, 11, 31, 23, 59, 59);
  var dayOnly = false;
  var half = count >> 1;
  var i, value;
  for (i = 0; i < half; i++) {
    value = parseInt(arguments[i]);
    if (isNaN(value)) {
      low.setMonth(__pathprobe_index(__pathprobe_months, arguments[i]));
    } else if (value < 32) {
      dayOnly = count <= 2;
      low.setDate(value);
    } else {
      low.setFullYear(value);
    }
  }
  for (i = half; i < count; i++) {
    value = parseInt(arguments[i]);
    if (isNaN(value)) {
      high.setMonth(__pathprobe_index(__pathprobe_months, arguments[i]));
    } else if (value < 32) {
      high.setDate(value);
    } else {
      high.setFullYear(value);
    }
  }
  if (dayOnly) {
    low.setMonth(now.getMonth());
    high.setMonth(now.getMonth());
  }
  var at = utc ? __pathprobe_utc_as_local(now) : now;
  return __pathprobe_in_range(low, high, at);
}

function timeRange() {
  var count = arguments.length;
  if (count < 1) return false;
  var now = new Date();
  var utc = arguments[count - 1] == 'GMT';
  if (utc) count--;
  var hour = utc ? now.getUTCHours() : now.getHours();

  if (count == 1) return hour == arguments[0];
  if (count == 2) return arguments[0] <= hour && hour < arguments[1];

  var low = new Date();
  var high = new Date();
  if (count == 6) {
    low.setSeconds(arguments[2]);
    high.setSeconds(arguments[5]);
  } else if (count != 4) {
    throw 'timeRange: bad number of arguments';
  }
  var middle = count >> 1;
  low.setHours(arguments[0]);
  low.setMinutes(arguments[1]);
  high.setHours(arguments[middle]);
  high.setMinutes(arguments[middle + 1]);
  if (middle == 2) high.setSeconds(59);
  var at = utc ? __pathprobe_utc_as_local(now) : now;
  return __pathprobe_in_range(low, high, at);
}

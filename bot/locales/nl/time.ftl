# A moment shown to a reader, with the time zone it is shown in.
time-in-zone = { $time } ({ $zone })

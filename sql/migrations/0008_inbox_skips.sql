-- Entries of a planning inbox that are no planning file to open: a directory, FIFO, socket, device or symbolic
-- link with a planning file's name. They are never opened (a FIFO would block the run); each is kept once per path
-- and kind, with when it was first and last seen (the moment the import stood for), so that the workbook's Import
-- rejects lists it until someone removes it.
create table mtp.inbox_skip (
    path        text        not null,
    kind        text        not null,
    first_seen  timestamptz not null,
    last_seen   timestamptz not null,
    primary key (path, kind)
);

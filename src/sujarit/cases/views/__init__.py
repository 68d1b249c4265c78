"""Pages of the cases app, one module per audience: intake and follow-up for citizens, the
work queues and case pages for the coordination centre, the referral inbox for agencies,
published cases for the public, and the agency response figures for staff."""
